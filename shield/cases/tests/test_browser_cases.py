"""Browser journey in Chromium, from a person's registration to the closed case.

A case worker registers a woman, opens a case for her, starts identification, records that she is
an identified victim, assesses her needs, drafts a care plan with a goal and an action and submits
it; a supervisor (a second browser) approves it; the case worker moves the case through services
and follow-up and asks for closure; the supervisor approves; the case shows as closed. Every step
happens in place (htmx), with nothing blocked by the strict CSP.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, AgencyFactory, member, province
from shield.cases.models import CarePlanStatus, Case, Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", record)
    return errors


def open_tab(page: Page, name: str) -> None:
    page.get_by_test_id(f"tab-{name}").click()
    expect(page.get_by_test_id(f"tab-panel-{name}")).to_be_visible()


def move(page: Page, stage: str, label: str) -> None:
    page.get_by_test_id(f"move-{stage}").click()
    expect(page.get_by_test_id("case-stage")).to_have_text(label)


def test_from_registration_to_a_closed_case(live_server, page, chromium):
    base = live_server.url
    agency = AgencyFactory.create(name_en="Lao Cai Social Protection Centre", province=province("01"))
    worker = member(Role.CASE_WORKER, agency=agency, username="cw.journey")
    member(Role.SUPERVISOR, agency=agency, username="sup.journey")
    worker_errors = watch_console(page)

    # The case worker registers the person in the registry's own pages.
    sign_in(page, base, "cw.journey")
    page.goto(f"{base}/people/new/")
    page.get_by_role("textbox", name="Full name", exact=True).fill("Lò Thị Xuân")
    page.get_by_role("combobox", name="Sex", exact=True).select_option("female")
    page.get_by_role("combobox", name="Date of birth known to", exact=True).select_option("year")
    page.get_by_label("Date of birth", exact=True).fill("1998")
    page.get_by_label("Home province", exact=True).select_option("01")
    page.get_by_test_id("save-person").click()
    page.wait_for_url(re.compile(r".*/people/[0-9a-f-]{36}/$"))

    # She is found from the case pages and a case is opened for her.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Cases").click()
    page.wait_for_url(f"{base}/cases/")
    expect(page.get_by_test_id("empty-state")).to_contain_text("No cases yet.")
    page.get_by_test_id("open-case").click()
    page.get_by_label("Find the person").fill("lo thi xuan")
    page.get_by_test_id("choose-person").first.click()
    expect(page.get_by_test_id("case-person")).to_contain_text("Lò Thị Xuân")
    page.get_by_role("combobox", name="Type of case").select_option("trafficking_victim")
    page.get_by_role("combobox", name="Risk level").select_option("high")
    page.get_by_test_id("save-case").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))
    case = Case.objects.get()
    case_url = f"{base}/cases/{case.pk}/"
    expect(page.get_by_test_id("case-stage")).to_have_text("Registered")
    expect(page.get_by_test_id("case-person")).to_have_text("Lò Thị Xuân")

    # Identification: started from the overview, decided on its tab; all in place.
    page.evaluate("document.body.dataset.mark = 'kept'")
    move(page, "undergoing_identification", "Undergoing identification")
    open_tab(page, "identification")
    page.wait_for_url(f"{case_url}?tab=identification")
    page.get_by_role("combobox", name="Decision", exact=True).select_option("identified")
    page.get_by_role("textbox", name="Deciding body", exact=True).fill("Công an tỉnh Lào Cai")
    page.get_by_role("combobox", name="Type of deciding body").select_option("police_provincial")
    page.get_by_role("textbox", name="Basis of the decision").fill(
        "Her statement and the border records agree."
    )
    page.get_by_test_id("save-identification").click()
    expect(page.get_by_test_id("notice")).to_have_text("The identification decision was recorded.")
    expect(page.get_by_test_id("case-stage")).to_have_text("Identified victim")

    # Assessment of needs, then the care plan.
    open_tab(page, "overview")
    move(page, "assessment", "Assessment")
    open_tab(page, "assessment")
    page.get_by_label("Safety", exact=True).select_option("high")
    page.get_by_label("Notes on Safety").fill("The broker knows her village.")
    page.get_by_label("Health", exact=True).select_option("medium")
    page.get_by_test_id("save-assessment").click()
    expect(page.get_by_test_id("needs")).to_contain_text("The broker knows her village.")
    open_tab(page, "overview")
    move(page, "care_plan", "Care plan")
    open_tab(page, "plan")
    page.get_by_test_id("start-plan").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Draft")
    page.get_by_role("textbox", name="Goal", exact=True).fill("A safe place to live")
    page.get_by_test_id("save-goal").click()
    expect(page.get_by_test_id("goal")).to_contain_text("A safe place to live")
    action_form = page.get_by_test_id("action-form")
    action_form.get_by_role("textbox", name="Action", exact=True).fill("Find a shelter place")
    due = timezone.localdate() + datetime.timedelta(days=14)
    action_form.get_by_role("textbox", name="Due on").fill(due.strftime("%d/%m/%Y"))
    action_form.get_by_label("Responsible person").select_option(str(worker.pk))
    page.get_by_test_id("save-action").click()
    expect(page.get_by_test_id("action")).to_contain_text("Find a shelter place")
    expect(page.get_by_test_id("action")).to_contain_text(due.strftime("%d/%m/%Y"))
    page.get_by_test_id("submit-plan").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Submitted for approval")
    expect(page.get_by_test_id("plan-waiting")).to_be_visible()
    assert page.evaluate("document.body.dataset.mark") == "kept"  # every step updated in place

    # The supervisor, in a browser of their own, approves the plan.
    supervisor_context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        boss = supervisor_context.new_page()
        boss.set_default_timeout(15000)
        supervisor_errors = watch_console(boss)
        sign_in(boss, base, "sup.journey")
        boss.goto(f"{case_url}?tab=plan")
        boss.get_by_test_id("approve-plan").click()
        expect(boss.get_by_test_id("approved-plan")).to_be_visible()
        assert case.care_plans.get().status == CarePlanStatus.APPROVED

        # The case worker takes the case through services and follow-up, and asks to close it.
        page.goto(case_url)
        move(page, "services", "Services")
        move(page, "reintegration", "Reintegration and follow-up")
        page.get_by_test_id("go-close").click()
        expect(page.get_by_test_id("tab-panel-closure")).to_be_visible()
        page.get_by_role("textbox", name="Why should the case be closed?").fill(
            "Back with her family; follow-up visits done."
        )
        page.get_by_test_id("request-closure").click()
        expect(page.get_by_test_id("closure-waiting")).to_be_visible()

        # The supervisor approves the closure; the case is closed for everyone.
        boss.goto(f"{case_url}?tab=closure")
        boss.get_by_test_id("approve-closure").click()
        boss.get_by_test_id("confirm-closure-yes").click()
        expect(boss.get_by_test_id("case-stage")).to_have_text("Closed")
        expect(boss.get_by_test_id("case-closed")).to_be_visible()
        assert supervisor_errors == []
    finally:
        supervisor_context.close()

    page.goto(f"{base}/cases/?stage=closed")
    expect(page.get_by_test_id("case-link")).to_have_text(case.reference)
    page.get_by_test_id("case-link").click()
    expect(page.get_by_test_id("case-stage")).to_have_text("Closed")
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    assert [c.to_stage for c in case.stage_changes.order_by("changed_at")] == [
        Stage.UNDERGOING_IDENTIFICATION,
        Stage.IDENTIFIED_VICTIM,
        Stage.ASSESSMENT,
        Stage.CARE_PLAN,
        Stage.SERVICES,
        Stage.REINTEGRATION,
        Stage.CLOSED,
    ]
    # Nothing was blocked by the strict CSP (no inline script or style) and htmx raised no error.
    assert worker_errors == []


def test_two_editors_in_browsers_the_second_keeps_their_choice(live_server, page, chromium):
    base = live_server.url
    agency = AgencyFactory.create(province=province("01"))
    worker = member(Role.CASE_WORKER, agency=agency, username="cw.first")
    member(Role.SUPERVISOR, agency=agency, username="sup.second")
    from shield.cases.tests import factories as f

    case = f.open_case(actor=worker, agency=agency)
    case_url = f"{base}/cases/{case.pk}/"
    errors = watch_console(page)
    sign_in(page, base, "cw.first")
    page.goto(case_url)
    page.get_by_test_id("edit-risk").click()
    page.get_by_test_id("risk-form").get_by_label("Risk level").select_option("critical")

    other_context = chromium.new_context(locale="en-GB")
    try:
        other = other_context.new_page()
        sign_in(other, base, "sup.second")
        other.goto(case_url)
        other.get_by_test_id("edit-risk").click()
        other.get_by_test_id("risk-form").get_by_label("Risk level").select_option("low")
        other.get_by_test_id("risk-form").get_by_role("button", name="Save").click()
        expect(other.get_by_test_id("risk-value")).to_have_text("Low")
    finally:
        other_context.close()

    page.get_by_test_id("risk-form").get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("risk-errors")).to_contain_text("Someone else changed this record")
    expect(page.get_by_test_id("risk-errors")).to_contain_text("Now recorded: Low")
    expect(page.get_by_test_id("risk-form").get_by_label("Risk level")).to_have_value("critical")
    case.refresh_from_db()
    assert case.risk_level == "low"
    page.get_by_test_id("risk-form").get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("risk-value")).to_have_text("Critical")
    assert errors == []
