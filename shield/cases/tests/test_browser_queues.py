"""Browser journey: a supervisor clears an approval from the "Waiting for you" queue.

sup.hanoi-like: a supervisor of a Hà Nội agency signs in, sees "1" approval waiting on the home
page, follows it to the approvals list and on to the case's plan tab, approves the plan, and the
queue is gone from the home page. Also at phone width (390 px), without horizontal page scroll and
without CSP errors.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases import services
from shield.cases.models import CarePlanStatus, Stage
from shield.cases.tests import factories as f
from shield.cases.tests.test_browser_cases import sign_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted_plan(worker, agency):
    case = f.open_case(actor=worker, agency=agency, assigned_worker=worker)
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=worker, case=case)
    goal = services.care_plan_goal_add(actor=worker, plan=plan, description="Safety", expected_version=1)
    services.care_plan_action_add(
        actor=worker,
        goal=goal,
        description="Shelter place",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        responsible_agency=agency,
        expected_version=2,
    )
    return services.care_plan_submit(actor=worker, plan=plan, expected_version=3)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_supervisor_clears_an_approval_from_the_queue(live_server, chromium, width):
    base = live_server.url
    hanoi = AgencyFactory.create(name_en="Ha Noi Social Protection Centre", province=province("01"))
    worker = member(Role.CASE_WORKER, agency=hanoi, username="cw.queue")
    member(Role.SUPERVISOR, agency=hanoi, username="sup.queue")
    plan = _submitted_plan(worker, hanoi)

    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = watch_console(page)
        sign_in(page, base, "sup.queue")
        queue = page.get_by_test_id("queue-case_approvals")
        expect(queue.get_by_test_id("queue-count")).to_have_text("1")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        queue.get_by_test_id("queue-link").click()
        page.wait_for_url(f"{base}/cases/approvals/")
        expect(page.get_by_test_id("approval-row")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        page.get_by_test_id("approval-link").click()
        page.get_by_test_id("approve-plan").click()
        expect(page.get_by_test_id("approved-plan")).to_be_visible()
        plan.refresh_from_db()
        assert plan.status == CarePlanStatus.APPROVED

        page.goto(f"{base}/")
        expect(page.get_by_test_id("waiting-for-you")).to_be_visible()
        expect(page.get_by_test_id("queue-case_approvals")).to_have_count(0)
        page.goto(f"{base}/cases/approvals/")
        expect(page.get_by_test_id("empty-state")).to_be_visible()
        assert not errors, errors
    finally:
        context.close()
