"""The justice officer's pages at phone width (390 px): the list, the worklist, a proceeding with
child and adult parties, a child's detention history and its episode — no horizontal scroll, no
console errors (CSP included)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shield.cases.tests.test_browser_cases import sign_in, watch_console
from shield.justice.models import DetentionKind
from shield.justice.tests import children_factories as f
from shield.justice.tests import detention_factories as d

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_justice_pages_fit_a_phone(live_server, chromium):
    base = live_server.url
    desk = f.desk(username="jo.phone")
    proceeding = f.open_proceeding(at=desk, offence_codes=("BLHS-150",))
    f.assign(proceeding, desk.officer)
    born = timezone.localdate().replace(year=timezone.localdate().year - 16)
    child = f.party(proceeding, role="accused", birth_date=born)
    f.party(proceeding, role="victim")
    held = d.episode(
        party=child,
        recorded_by=desk.officer,
        kind=DetentionKind.POLICE_CUSTODY,
        started_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = watch_console(page)
        sign_in(page, base, "jo.phone")
        for path in (
            "/justice/",
            "/justice/worklist/",
            f"/justice/proceedings/{proceeding.pk}/",
            f"/justice/detention/party/{child.pk}/",
            f"/justice/detention/{held.pk}/",
            "/justice/detention/",
        ):
            response = page.goto(f"{base}{path}")
            assert response is not None
            assert response.status == 200, path
            expect(page.locator("main")).to_be_visible()
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], (path, width)
        assert errors == []
    finally:
        context.close()
