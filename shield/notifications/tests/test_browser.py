"""Browser journey: Hà Nội asks An Giang to take a case over; An Giang's case worker sees it in the
bell, on a phone, opens the list and follows the notification to the case."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases import services as case_services
from shield.cases.models import ConsentScope
from shield.cases.tests import factories as f
from shield.cases.tests.test_browser_cases import sign_in, watch_console
from shield.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_transfer_shows_in_the_receiving_case_workers_bell_and_leads_to_the_case(live_server, chromium):
    hanoi = AgencyFactory.create(
        code="spc-ha-noi", name_en="Ha Noi Social Protection Centre", province=province("01")
    )
    angiang = AgencyFactory.create(
        code="spc-an-giang", name_en="An Giang Social Protection Centre", province=province("91")
    )
    sender = member(Role.CASE_WORKER, agency=hanoi, username="cw.hanoi")
    member(Role.CASE_WORKER, agency=angiang, username="cw.angiang")
    case = f.open_case(actor=sender)
    case_services.consent_record(
        actor=sender,
        case=case,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        shared_with_agency=angiang,
        given_by="person",
        given_on=timezone.localdate(),
    )
    case_services.transfer_request(actor=sender, case=case, to_agency=angiang, reason="She moved to An Giang")

    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = watch_console(page)
    base = live_server.url
    sign_in(page, base, "cw.angiang")
    bell = page.get_by_test_id("bell")
    expect(bell).to_be_visible()  # outside the collapsed menu at phone width
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    bell.click()
    item = page.get_by_test_id("notification")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(case.reference)
    expect(item).to_contain_text("Ha Noi Social Protection Centre asks your agency to take it over")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.get_by_test_id("notification-open").click()
    page.wait_for_url(f"{base}/cases/{case.pk}/")
    expect(page.get_by_test_id("bell-count")).to_have_text("0")
    assert Notification.objects.get().read_at is not None
    assert errors == []
    context.close()
