"""Browser journey (issue 17): a justice officer records two sessions with a child witness in one
day, the third is refused on the page with the rule and the law; then a diverted child completes
the measure. At desktop and phone width (390 px), without horizontal scroll or CSP errors."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shield.cases.tests.test_browser_cases import sign_in, watch_console
from shield.justice.children import services
from shield.justice.models import Diversion, DiversionStatus, Interview
from shield.justice.tests import children_factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _record(page, day: datetime.date, start: str, end: str) -> None:
    form = page.get_by_test_id("interview-form")
    if not form.is_visible():
        page.get_by_text("Record a session").click()
    form.locator("[name=kind]").select_option("interview")
    form.locator("[name=place_type]").select_option("child_friendly_room")
    form.locator("[name=started_at]").fill(f"{day.isoformat()}T{start}")
    form.locator("[name=ended_at]").fill(f"{day.isoformat()}T{end}")
    form.locator("[name=representative_present]").check()
    form.locator("[name=social_worker_present]").check()
    form.get_by_role("button", name="Record the session").click()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_third_session_is_refused_and_a_diverted_child_completes_the_measure(live_server, chromium, width):
    base = live_server.url
    d = f.desk(username="jo.child")
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-185",))
    f.assign(proceeding, d.officer)
    witness = f.party(proceeding, role="witness")
    born = timezone.localdate().replace(year=timezone.localdate().year - 17) - datetime.timedelta(days=60)
    accused = f.party(proceeding, role="accused", birth_date=born)
    diversion = services.diversion_decide(
        actor=d.officer,
        party=accused,
        deciding_body="procuracy",
        decided_on=timezone.localdate() - datetime.timedelta(days=95),
        measures=["reprimand", "community_service"],
        supervision_months=3,
        supervisor="Phường Ba Đình",
    )
    day = timezone.localdate() - datetime.timedelta(days=1)

    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = watch_console(page)
        sign_in(page, base, "jo.child")
        page.goto(f"{base}/justice/children/parties/{witness.pk}/")
        expect(page.get_by_test_id("limits")).to_contain_text("59/2024/QH15 Art. 156")
        _record(page, day, "08:00", "10:00")
        expect(page.get_by_test_id("interview-row")).to_have_count(1)
        _record(page, day, "14:00", "15:00")
        expect(page.get_by_test_id("interview-row")).to_have_count(2)
        _record(page, day, "16:30", "17:00")
        refusal = page.get_by_test_id("interview-refused")
        expect(refusal).to_contain_text("More sessions in one day than the law allows")
        expect(refusal).to_contain_text("59/2024/QH15 Art. 156")
        assert Interview.objects.filter(party=witness).count() == 2
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        page.goto(f"{base}/justice/children/diversions/{diversion.pk}/")
        expect(page.get_by_test_id("diversion-status")).to_have_text("In progress")
        page.get_by_test_id("report-form").first.get_by_role("button", name="Submit").click()
        expect(page.get_by_test_id("report-form")).to_have_count(diversion.reports.count() - 1)
        end = page.get_by_test_id("end-form")
        end.locator("[name=outcome]").select_option("completed")
        end.get_by_role("button", name="End the diversion").click()
        expect(page.get_by_test_id("diversion-status")).to_have_text("Completed")
        assert Diversion.objects.get(pk=diversion.pk).status == DiversionStatus.COMPLETED
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # The refused session answers 400 (the form with the refusal), as every refused form does.
        refused = [e for e in errors if "status of 400" in e]
        assert len(refused) == 1, errors
        assert not [e for e in errors if e not in refused], errors
    finally:
        context.close()
