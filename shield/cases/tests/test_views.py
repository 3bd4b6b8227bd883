"""The case pages end to end through the test client: list, opening, tabs, forms, inline edits,
concurrency in HTML, audit of detail reads, and the home page's overdue actions."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import ROLE_PERMISSIONS, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.audit.models import AuditAction, AuditEvent
from shield.cases import services
from shield.cases.models import (
    CarePlan,
    CarePlanAction,
    CarePlanStatus,
    Case,
    CaseNote,
    CaseTransfer,
    CaseType,
    ClosureRequest,
    Consent,
    IdentificationStatus,
    RiskLevel,
    Stage,
    TraffickingDetails,
    TraffickingPlace,
    TransferStatus,
)
from shield.cases.tests import factories as f
from shield.cases.views.common import TAB_KEYS
from shield.core.pagination import CappedPaginator

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def detail(case, tab=None):
    url = reverse("cases:case_detail", args=[case.pk])
    return f"{url}?tab={tab}" if tab else url


def url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.pk, *args])


def text(response):
    return response.content.decode()


def views_of(case):
    return AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="cases.case", object_id=str(case.pk)
    )


@pytest.fixture
def team():
    return f.team(province=province("01"))


@pytest.fixture
def case(team):
    return f.open_case(actor=team.worker, agency=team.agency)


def login(client, user):
    client.force_login(user)
    return client


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_the_columns_and_links_each_case(client, team, case):
    response = login(client, team.worker).get(reverse("cases:case_list"))
    body = text(response)
    assert response.status_code == 200
    assert case.reference in body
    assert "Nguyễn Thị Hoa" in body
    assert "Trafficking victim" in body
    assert "Registered" in body
    assert team.agency.name in body
    assert case.opened_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in body
    assert detail(case) in body


def test_the_list_filters_by_stage_type_agency_province_and_assignment(client, team):
    other = f.team(province=province("79"))
    registered = f.open_case(actor=team.worker, agency=team.agency)
    witness = f.put_at(
        f.open_case(actor=team.worker, agency=team.agency, case_type="child_witness"), Stage.SERVICES
    )
    services.case_assign(
        actor=team.supervisor, case=witness, worker=team.worker, expected_version=witness.version
    )
    elsewhere = f.open_case(actor=other.worker, agency=other.agency)
    national = login(client, member(Role.SUPERVISOR, scope=Scope.NATIONAL))

    def listed(**params):
        body = text(national.get(reverse("cases:case_list"), params))
        return {c.reference for c in (registered, witness, elsewhere) if c.reference in body}

    assert listed() == {registered.reference, witness.reference, elsewhere.reference}
    assert listed(stage="services") == {witness.reference}
    assert listed(case_type="child_witness") == {witness.reference}
    assert listed(agency=str(other.agency.pk)) == {elsewhere.reference}
    assert listed(province="01") == {registered.reference, witness.reference}
    worker_body = text(login(client, team.worker).get(reverse("cases:case_list"), {"mine": "on"}))
    assert witness.reference in worker_body
    assert registered.reference not in worker_body


def test_the_list_filters_by_overdue_actions_and_search(client, team):
    late = f.open_case(actor=team.worker, agency=team.agency)
    f.approved_plan(late, due_on=timezone.localdate() - datetime.timedelta(days=2))
    other = f.open_case(
        actor=team.worker, agency=team.agency, person_=f.person(actor=team.worker, full_name="Trần Văn Hùng")
    )
    login(client, team.worker)
    body = text(client.get(reverse("cases:case_list"), {"overdue": "on"}))
    assert late.reference in body
    assert other.reference not in body
    assert 'data-testid="overdue-badge"' in body
    body = text(client.post(reverse("cases:case_list"), {"q": "tran van hung"}, follow=True))
    assert other.reference in body
    assert late.reference not in body
    body = text(client.post(reverse("cases:case_list"), {"q": late.reference.lower()}, follow=True))
    assert late.reference in body
    assert other.reference not in body


def test_the_list_stops_counting_at_its_cap_and_asks_to_refine(client, team, monkeypatch):
    cases = [f.open_case(actor=team.worker, agency=team.agency) for _ in range(3)]
    login(client, team.worker)
    body = text(client.get(reverse("cases:case_list")))
    assert "3 cases" in body
    monkeypatch.setattr(CappedPaginator, "default_cap", 2)
    body = text(client.get(reverse("cases:case_list")))
    assert "More than 2 results: add a filter or refine the search." in body
    assert "3 cases" not in body
    assert sum(c.reference in body for c in cases) == 2  # pages reach as far as the cap


def test_the_list_has_empty_states_with_and_without_filters(client, team):
    login(client, team.worker)
    assert "No cases yet." in text(client.get(reverse("cases:case_list")))
    f.open_case(actor=team.worker, agency=team.agency)
    body = text(client.get(reverse("cases:case_list"), {"stage": "closed"}))
    assert "No cases match these filters." in body
    assert "No cases yet." not in body


def test_the_list_pages_by_25_and_page_links_keep_the_filters(client, team):
    for _ in range(27):
        f.open_case(actor=team.worker, agency=team.agency, person_=f.person(actor=team.worker))
    login(client, team.worker)
    response = client.get(reverse("cases:case_list"), {"stage": "registered"})
    body = text(response)
    assert body.count('data-testid="case-row"') == 25
    assert "27 cases" in body
    assert "?stage=registered&amp;page=2" in body
    second = text(client.get(reverse("cases:case_list"), {"stage": "registered", "page": 2}))
    assert second.count('data-testid="case-row"') == 2


def test_the_list_answers_htmx_with_the_results_only(client, team, case):
    response = login(client, team.worker).post(reverse("cases:case_list"), {"q": "hoa"}, follow=True, **HX)
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="case-results"')
    assert "<html" not in body
    assert case.reference in body
    assert "HX-Request" in response["Vary"]


def test_the_list_masks_a_childs_name_for_roles_that_do_not_need_it(client, team, monkeypatch):
    child = f.person(
        actor=team.worker,
        full_name="Giàng Thị Mai",
        birth_date=timezone.localdate() - datetime.timedelta(days=4000),
    )
    f.open_case(actor=team.worker, agency=team.agency, person_=child)
    justice = member(Role.JUSTICE_OFFICER, agency=team.agency)
    assert "Giàng Thị Mai" in text(login(client, justice).get(reverse("cases:case_list")))
    monkeypatch.setitem(
        ROLE_PERMISSIONS,
        Role.JUSTICE_OFFICER,
        ROLE_PERMISSIONS[Role.JUSTICE_OFFICER] - {"people.see_child_names"},
    )
    body = text(client.get(reverse("cases:case_list")))
    assert "Giàng" not in body
    assert "G. T. M." in body
    assert "name hidden" in body


def test_the_lists_query_count_does_not_grow_with_its_rows(client, team, django_assert_max_num_queries):
    def make(count):
        for _ in range(count):
            made = f.open_case(actor=team.worker, agency=team.agency, person_=f.person(actor=team.worker))
            services.case_assign(
                actor=team.supervisor, case=made, worker=team.worker, expected_version=made.version
            )
            f.approved_plan(made, due_on=timezone.localdate() - datetime.timedelta(days=1))

    viewer = member(Role.SUPERVISOR, agency=team.agency, scope=Scope.PROVINCE)
    login(client, viewer)
    make(3)
    # The search posts once and is read back under its key (?s=...), page after page.
    searched = client.post(reverse("cases:case_list"), {"q": "nguyen"})["Location"]
    with CaptureQueriesContext(connection) as few:
        body = text(client.get(searched))
    assert body.count('data-testid="case-row"') == 3
    make(22)
    with django_assert_max_num_queries(len(few)):
        body = text(client.get(searched))
    assert body.count('data-testid="case-row"') == 25


def test_a_missed_verification_deadline_shows_in_red(client, team):
    reported = timezone.now() - datetime.timedelta(days=5)
    late = f.open_case(actor=team.worker, agency=team.agency, reported_at=reported)
    login(client, team.worker)
    body = text(client.get(reverse("cases:case_list")))
    assert 'data-testid="deadline-overdue"' in body
    assert (reported + datetime.timedelta(days=3)).astimezone(timezone.get_current_timezone()).strftime(
        "%d/%m/%Y"
    ) in body
    assert 'data-testid="verification-overdue"' in text(client.get(detail(late)))
    services.case_transition(
        actor=team.worker, case=late, to_stage=Stage.UNDERGOING_IDENTIFICATION, expected_version=late.version
    )
    assert 'data-testid="deadline-overdue"' not in text(client.get(reverse("cases:case_list")))


# --- Opening a case ------------------------------------------------------------------------------


def test_a_case_worker_opens_a_case_for_a_person(client, team):
    person = f.person(actor=team.worker, full_name="Lò Văn Sáng")
    login(client, team.worker)
    page = client.get(reverse("cases:case_create"), {"person": person.pk})
    assert page.status_code == 200
    assert "Lò Văn Sáng" in text(page)
    assert team.supervisor.username in text(page)  # a colleague may be assigned
    response = client.post(
        reverse("cases:case_create"),
        {
            "person": person.pk,
            "case_type": "trafficking_victim",
            "owner_agency": team.agency.pk,
            "reported_at": "01/02/2026 08:30",
            "risk_level": "high",
            "assigned_worker": team.worker.pk,
        },
    )
    case = Case.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == detail(case)
    assert (case.risk_level, case.assigned_worker, case.stage) == ("high", team.worker, Stage.REGISTERED)
    assert timezone.localtime(case.reported_at).strftime("%d/%m/%Y %H:%M") == "01/02/2026 08:30"


def test_opening_a_case_shows_field_errors_and_keeps_the_input(client, team):
    person = f.person(actor=team.worker)
    login(client, team.worker)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("cases:case_create"),
        {
            "person": person.pk,
            "case_type": "child_witness",
            "owner_agency": team.agency.pk,
            "reported_at": f"{tomorrow} 10:00",
            "risk_level": "low",
        },
    )
    body = text(response)
    assert response.status_code == 200
    assert "The report cannot come from the future." in body
    assert f'value="{tomorrow} 10:00"' in body
    assert not Case.objects.exists()


def test_opening_a_case_for_someone_out_of_reach_is_not_found(client, team):
    stranger = f.person(actor=member(Role.CASE_WORKER, agency=AgencyFactory()))
    login(client, team.worker)
    assert client.get(reverse("cases:case_create"), {"person": stranger.pk}).status_code == 404
    data = {
        "person": stranger.pk,
        "case_type": "child_witness",
        "owner_agency": team.agency.pk,
        "risk_level": "low",
    }
    assert client.post(reverse("cases:case_create"), data).status_code == 404
    assert not Case.objects.exists()


def test_without_a_person_the_page_finds_one_first(client, team):
    person = f.person(actor=team.worker, full_name="Hà Thị Lan")
    login(client, team.worker)
    found = client.get(reverse("cases:case_create"), {"q": "ha thi lan"}, follow=True)
    # The name typed is moved out of the page's address once: only a key stays in it.
    assert found.redirect_chain[0][0].startswith(f"{reverse('cases:case_create')}?s=")
    assert "lan" not in found.redirect_chain[0][0]
    body = text(found)
    assert "Hà Thị Lan" in body
    assert f"?person={person.pk}" in body
    partial = text(client.get(reverse("cases:case_create"), {"q": "nobody here"}, follow=True, **HX))
    assert partial.lstrip().startswith('<div id="person-results"')
    assert "No one in your reach matches this search." in partial


# --- The case page and its tabs ------------------------------------------------------------------


@pytest.mark.parametrize("tab", sorted(TAB_KEYS))
def test_every_tab_has_its_own_address_works_without_javascript_and_is_audited(client, team, tab):
    case = f.put_at(f.open_case(actor=team.worker, agency=team.agency), Stage.SERVICES)
    login(client, team.worker)
    page = client.get(detail(case, tab))
    assert page.status_code == 200
    assert f'data-testid="tab-panel-{tab}"' in text(page)
    assert "<html" in text(page)
    partial = client.get(detail(case, tab), **HX)
    assert partial.status_code == 200
    assert text(partial).lstrip().startswith('<div id="case-main"')
    assert f'data-testid="tab-panel-{tab}"' in text(partial)
    assert views_of(case).filter(actor=team.worker).count() == 2


def test_an_unknown_tab_shows_the_overview(client, team, case):
    body = text(login(client, team.worker).get(detail(case, "nonsense")))
    assert 'data-testid="tab-panel-overview"' in body


def test_another_agencys_case_is_not_found_and_not_audited_as_read(client, case):
    outsider = member(Role.CASE_WORKER, agency=AgencyFactory())
    assert login(client, outsider).get(detail(case)).status_code == 404
    assert not views_of(case).exists()


def test_the_overview_offers_allowed_moves_and_explains_the_others(client, team, case):
    body = text(login(client, team.worker).get(detail(case)))
    assert 'data-testid="move-undergoing_identification"' in body
    assert 'data-testid="move-assessment"' not in body
    assert "A possible trafficking victim is identified before assessment" in body


def test_a_move_changes_the_stage_and_a_refused_one_shows_the_machines_message(client, team, case):
    login(client, team.worker)
    refused = client.post(
        url("case_transition", case), {"to_stage": "assessment", "version": case.version}, **HX
    )
    assert refused.status_code == 200
    assert (
        "A possible trafficking victim is identified before assessment: start identification first."
        in text(refused)
    )
    case.refresh_from_db()
    assert case.stage == Stage.REGISTERED
    moved = client.post(
        url("case_transition", case), {"to_stage": "undergoing_identification", "version": case.version}
    )
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.UNDERGOING_IDENTIFICATION
    follow = text(client.get(moved["Location"]))
    assert "The case moved to “Undergoing identification”." in follow


def test_moving_to_not_a_victim_asks_for_a_confirmation_first(client, team, case):
    f.put_at(case, Stage.UNDERGOING_IDENTIFICATION)
    f.decision(case, IdentificationStatus.NOT_A_VICTIM)
    login(client, team.worker)
    asked = client.post(
        url("case_transition", case), {"to_stage": "not_a_victim", "version": case.version}, **HX
    )
    assert 'data-testid="confirm-move"' in text(asked)
    case.refresh_from_db()
    assert case.stage == Stage.UNDERGOING_IDENTIFICATION
    done = client.post(
        url("case_transition", case),
        {"to_stage": "not_a_victim", "version": case.version, "confirmed": "on"},
        **HX,
    )
    case.refresh_from_db()
    assert case.stage == Stage.NOT_A_VICTIM
    assert done["HX-Retarget"] == "#case-main"
    assert "Not a victim" in text(done)


def test_a_stale_move_is_refused_with_the_concurrency_message(client, team, case):
    login(client, team.worker)
    stale = case.version
    services.case_risk_set(actor=team.supervisor, case=case, risk_level="high", expected_version=case.version)
    body = text(
        client.post(url("case_transition", case), {"to_stage": "undergoing_identification", "version": stale})
    )
    assert "Someone else changed this record" in body
    case.refresh_from_db()
    assert case.stage == Stage.REGISTERED


# --- Inline edits and two editors ----------------------------------------------------------------


def test_the_risk_level_is_edited_in_place(client, team, case):
    login(client, team.worker)
    editor = client.get(url("case_risk", case), **HX)
    assert text(editor).lstrip().startswith('<div id="case-risk"')
    assert 'data-testid="risk-form"' in text(editor)
    saved = client.post(url("case_risk", case), {"risk_level": "critical", "version": case.version}, **HX)
    assert saved.status_code == 200
    assert saved["HX-Retarget"] == "#case-main"
    assert "The risk level was changed." in text(saved)
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.CRITICAL


def test_without_javascript_the_risk_editor_is_the_whole_page(client, team, case):
    login(client, team.worker)
    page = client.get(url("case_risk", case))
    assert "<html" in text(page)
    assert 'data-testid="risk-form"' in text(page)
    response = client.post(url("case_risk", case), {"risk_level": "low", "version": case.version})
    assert response.status_code == 302
    assert response["Location"] == detail(case)


def test_two_editors_the_second_is_refused_keeps_their_input_and_may_save_again(client, team, case):
    first, second = team.worker, team.supervisor
    opened_at = case.version
    # The second editor saves first.
    login(client, second).post(url("case_risk", case), {"risk_level": "high", "version": opened_at}, **HX)
    case.refresh_from_db()
    assert case.risk_level == "high"
    # The first editor's save, based on what they opened, is refused; nothing is lost.
    response = login(client, first).post(
        url("case_risk", case), {"risk_level": "critical", "version": opened_at}, **HX
    )
    body = text(response)
    assert "Someone else changed this record after you opened it." in body
    assert '<option value="critical" selected>' in body
    assert "Now recorded: High" in body
    assert f'name="version" value="{case.version}"' in body
    case.refresh_from_db()
    assert case.risk_level == "high"
    # Seeing what changed, they save again.
    client.post(url("case_risk", case), {"risk_level": "critical", "version": case.version}, **HX)
    case.refresh_from_db()
    assert case.risk_level == "critical"


def test_the_worker_is_assigned_in_place_among_the_agencys_case_workers(client, team, case):
    outsider = member(Role.CASE_WORKER, agency=AgencyFactory())
    login(client, team.worker)
    editor = text(client.get(url("case_worker", case), **HX))
    assert team.supervisor.username in editor
    assert outsider.username not in editor
    client.post(
        url("case_worker", case), {"assigned_worker": team.supervisor.pk, "version": case.version}, **HX
    )
    case.refresh_from_db()
    assert case.assigned_worker == team.supervisor
    refused = text(
        client.post(url("case_worker", case), {"assigned_worker": outsider.pk, "version": case.version}, **HX)
    )
    assert "Select a valid choice" in refused
    case.refresh_from_db()
    assert case.assigned_worker == team.supervisor


def test_a_stale_assignment_is_refused_in_html(client, team, case):
    opened_at = case.version
    services.case_risk_set(actor=team.supervisor, case=case, risk_level="low", expected_version=opened_at)
    body = text(
        login(client, team.worker).post(
            url("case_worker", case), {"assigned_worker": team.worker.pk, "version": opened_at}, **HX
        )
    )
    assert "Someone else changed this record" in body
    assert re.search(rf'<option value="{team.worker.pk}" selected>', body)
    case.refresh_from_db()
    assert case.assigned_worker is None


# --- Identification and trafficking details -----------------------------------------------------


def test_an_identification_decision_moves_the_case_and_shows_in_its_history(client, team, case):
    login(client, team.worker)
    response = client.post(
        url("identification_add", case),
        {
            "status": "identified",
            "body_name": "Công an tỉnh Lào Cai",
            "body_type": "police_provincial",
            "decided_on": timezone.localdate().strftime("%d/%m/%Y"),
            "basis": "Statements and documents verified",
            "documents": "Decision 12/QĐ\nReport 7",
        },
        **HX,
    )
    assert "The identification decision was recorded." in text(response)
    case.refresh_from_db()
    assert case.stage == Stage.IDENTIFIED_VICTIM
    body = text(client.get(detail(case, "identification")))
    assert "Công an tỉnh Lào Cai" in body
    assert "Decision 12/QĐ" in body


def test_an_incomplete_decision_shows_errors_field_by_field(client, team, case):
    body = text(
        login(client, team.worker).post(url("identification_add", case), {"status": "identified"}, **HX)
    )
    assert 'data-testid="error-body_name"' in body
    assert 'data-testid="error-basis"' in body
    assert not case.identification_decisions.exists()


def test_trafficking_details_are_htcds_checkboxes_and_concurrent_edits_are_refused(client, team, case):
    login(client, team.worker)
    page = text(client.get(detail(case, "trafficking")))
    assert 'type="checkbox" name="forms_of_exploitation" value="ForcedLabour"' in page
    assert 'value="Zalo"' in page
    data = {
        "version": 0,
        "forms_of_exploitation": ["ForcedLabour", "SexualExploitation"],
        "recruitment_websites_and_apps": ["Zalo"],
        "relationship_to_trafficker": "",
        "duration_days": "90",
    }
    client.post(url("trafficking_details", case), data, **HX)
    details = TraffickingDetails.objects.get(case=case)
    assert details.forms_of_exploitation == ["ForcedLabour", "SexualExploitation"]
    shown = text(client.get(detail(case, "trafficking")))
    assert "Forced labour, Sexual exploitation" in shown
    # A second save based on the version 0 form is stale.
    stale = text(
        client.post(
            url("trafficking_details", case), {**data, "forms_of_exploitation": ["OrganRemoval"]}, **HX
        )
    )
    assert "Someone else changed this record" in stale
    assert 'value="OrganRemoval" id' in stale
    assert re.search(r'value="OrganRemoval" id="[^"]+" checked', stale)
    details.refresh_from_db()
    assert details.forms_of_exploitation == ["ForcedLabour", "SexualExploitation"]


def test_places_are_added_with_a_province_and_commune_and_removed_with_a_reason(client, team, case):
    login(client, team.worker)
    options = text(client.get(reverse("cases:commune_options"), {"province": "01"}, **HX))
    commune_code = re.search(r'<option value="(\d+)">', options).group(1)
    response = client.post(
        url("place_add", case),
        {
            "kind": "recruitment",
            "country": "VN",
            "province": "01",
            "commune": commune_code,
            "date_from": "01/03/2025",
        },
        **HX,
    )
    assert "The place was added." in text(response)
    place = TraffickingPlace.objects.get(case=case)
    assert (place.province.code, place.commune.code) == ("01", commune_code)
    refused = text(client.post(url("place_remove", case, place.pk), {"reason": ""}, **HX))
    assert "This field is required." in refused
    client.post(url("place_remove", case, place.pk), {"reason": "Recorded twice"}, **HX)
    place.refresh_from_db()
    assert place.removed_at is not None


def test_without_javascript_a_province_shows_its_communes_in_the_place_form(client, team, case):
    body = text(
        login(client, team.worker).post(
            url("place_add", case),
            {"kind": "transit", "country": "VN", "province": "01", "refresh_communes": "1"},
        )
    )
    assert "Ba Đình" in body
    assert not TraffickingPlace.objects.exists()


# --- Assessment, care plan -----------------------------------------------------------------------


def test_assessment_then_a_care_plan_that_a_supervisor_approves(client, team, case):
    f.put_at(case, Stage.IDENTIFIED_VICTIM)
    login(client, team.worker)
    assert 'data-testid="plan-needs-assessment"' in text(client.get(detail(case, "plan")))
    response = client.post(
        url("assessment_add", case),
        {
            "level_safety": "high",
            "notes_safety": "Threats from the broker",
            "level_health": "low",
            "summary": "x",
        },
        **HX,
    )
    assert "The assessment was recorded." in text(response)
    assert "Threats from the broker" in text(client.get(detail(case, "assessment")))

    client.post(url("plan_create", case), **HX)
    plan = CarePlan.objects.get(case=case)
    client.post(
        url("goal_add", case, plan.pk),
        {"goal-description": "Safe housing", "goal-domain": "safety", "goal-version": plan.version},
        **HX,
    )
    plan.refresh_from_db()
    goal = plan.goals.get()
    due = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    added = client.post(
        url("action_add", case, plan.pk),
        {
            "action-goal": goal.pk,
            "action-description": "Find a shelter place",
            "action-due_on": due,
            "action-responsible_person": team.worker.pk,
            "action-version": plan.version,
        },
        **HX,
    )
    assert "The action was added." in text(added)
    plan.refresh_from_db()
    client.post(url("plan_submit", case, plan.pk), {"version": plan.version}, **HX)
    plan.refresh_from_db()
    assert plan.status == CarePlanStatus.SUBMITTED
    # The submitter sees no approval buttons; the supervisor does.
    worker_view = text(client.get(detail(case, "plan")))
    assert 'data-testid="approve-plan"' not in worker_view
    assert 'data-testid="plan-waiting"' in worker_view
    assert "Care plan not yet approved" in worker_view  # plain words, not "in the works"
    login(client, team.supervisor)
    supervisor_view = text(client.get(detail(case, "plan")))
    assert 'data-testid="approve-plan"' in supervisor_view
    client.post(url("plan_approve", case, plan.pk), {"version": plan.version}, **HX)
    plan.refresh_from_db()
    assert plan.status == CarePlanStatus.APPROVED
    approved_view = text(client.get(detail(case, "plan")))
    assert 'data-testid="approved-plan"' in approved_view
    assert "Care plan in force" in approved_view
    assert "Approved care plan" not in approved_view


def test_a_case_worker_cannot_approve_a_plan(client, team, case):
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.worker, case=case)
    response = login(client, team.worker).post(url("plan_approve", case, plan.pk), {"version": plan.version})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == CarePlanStatus.DRAFT


def test_a_supervisor_returns_a_plan_with_a_note(client, team, case):
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.worker, case=case)
    goal = services.care_plan_goal_add(
        actor=team.worker, plan=plan, description="School", expected_version=plan.version
    )
    plan.refresh_from_db()
    services.care_plan_action_add(
        actor=team.worker,
        goal=goal,
        description="Enrol",
        due_on=timezone.localdate(),
        expected_version=plan.version,
        responsible_agency=team.agency,
    )
    plan.refresh_from_db()
    plan = services.care_plan_submit(actor=team.worker, plan=plan, expected_version=plan.version)
    login(client, team.supervisor)
    empty = text(
        client.post(
            url("plan_return", case, plan.pk), {"return-version": plan.version, "return-note": ""}, **HX
        )
    )
    assert "This field is required." in empty
    client.post(
        url("plan_return", case, plan.pk),
        {"return-version": plan.version, "return-note": "Add a health goal"},
        **HX,
    )
    plan.refresh_from_db()
    assert plan.status == CarePlanStatus.RETURNED
    assert "Add a health goal" in text(login(client, team.worker).get(detail(case, "plan")))


def test_submitting_an_empty_plan_shows_why_not(client, team, case):
    f.put_at(case, Stage.CARE_PLAN)
    plan = services.care_plan_create(actor=team.worker, case=case)
    body = text(
        login(client, team.worker).post(url("plan_submit", case, plan.pk), {"version": plan.version}, **HX)
    )
    assert "Add at least one goal with an action before submitting the plan." in body


def test_the_responsible_person_marks_an_action_done(client, team, case):
    f.put_at(case, Stage.SERVICES)
    action = CarePlanAction.objects.get(goal__plan__case=case)
    login(client, team.worker)
    assert 'data-testid="action-done"' in text(client.get(detail(case, "plan")))
    client.post(url("action_complete", case, action.pk), {}, **HX)
    action.refresh_from_db()
    assert action.status == "done"


def test_an_action_is_cancelled_only_with_a_reason(client, team, case):
    f.put_at(case, Stage.SERVICES)
    action = CarePlanAction.objects.get(goal__plan__case=case)
    login(client, team.worker)
    assert "This field is required." in text(
        client.post(url("action_cancel", case, action.pk), {"reason": ""}, **HX)
    )
    client.post(url("action_cancel", case, action.pk), {"reason": "No longer needed"}, **HX)
    action.refresh_from_db()
    assert action.status == "cancelled"


# --- Notes ---------------------------------------------------------------------------------------


def test_notes_are_added_shown_decrypted_and_corrected_by_a_new_note(client, team, case):
    login(client, team.worker)
    response = client.post(
        url("note_add", case), {"kind": "home_visit", "body": "Met her aunt at home."}, **HX
    )
    assert "The note was added." in text(response)
    note = CaseNote.objects.get(case=case)
    assert "Met her aunt at home." in text(client.get(detail(case, "notes")))
    page = text(client.get(detail(case, "notes") + f"&corrects={note.pk}"))
    assert "Correct the note of" in page
    assert f'name="corrects" value="{note.pk}"' in page
    client.post(
        url("note_add", case), {"kind": "home_visit", "body": "It was her cousin.", "corrects": note.pk}, **HX
    )
    assert CaseNote.objects.get(corrects=note).body == "It was her cousin."


def test_roles_without_case_work_see_no_note_bodies(client, team, case):
    services.note_add(actor=team.worker, case=case, kind="contact", body="Phone call about the shelter")
    justice = member(Role.JUSTICE_OFFICER, agency=team.agency)
    body = text(login(client, justice).get(detail(case, "notes")))
    assert "Phone call about the shelter" not in body
    assert 'data-testid="notes-withheld"' in body
    assert 'data-testid="note-form"' not in body


# --- Consent and transfer ------------------------------------------------------------------------


def test_consent_is_recorded_and_withdrawn(client, team, case):
    login(client, team.worker)
    today = timezone.localdate().strftime("%d/%m/%Y")
    client.post(
        url("consent_add", case), {"scope": "services", "given_by": "person", "given_on": today}, **HX
    )
    consent = Consent.objects.get(case=case)
    assert "Receiving services" in text(client.get(detail(case, "consent")))
    refused = text(client.post(url("consent_withdraw", case, consent.pk), {"reason": ""}, **HX))
    assert "This field is required." in refused
    client.post(url("consent_withdraw", case, consent.pk), {"reason": "She changed her mind"}, **HX)
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


def test_a_transfer_needs_consent_or_an_override_and_the_receiver_accepts_it(client, team, case):
    receiver = f.team(province=province("79"))
    login(client, team.worker)
    data = {"to_agency": receiver.agency.pk, "reason": "She moved to the south"}
    refused = text(client.post(url("transfer_request", case), data, **HX))
    assert "The person has not consented to sharing with this agency." in refused
    assert not CaseTransfer.objects.exists()
    today = timezone.localdate().strftime("%d/%m/%Y")
    client.post(
        url("consent_add", case),
        {
            "scope": "share_with_agency",
            "shared_with_agency": receiver.agency.pk,
            "given_by": "person",
            "given_on": today,
        },
        **HX,
    )
    client.post(url("transfer_request", case), data, **HX)
    transfer = CaseTransfer.objects.get(case=case)
    # The receiving agency sees the case and answers.
    login(client, receiver.worker)
    page = text(client.get(detail(case, "transfer")))
    assert 'data-testid="accept-transfer"' in page
    client.post(url("transfer_accept", case, transfer.pk), {"note": "Welcome"}, **HX)
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert case.owner_agency == receiver.agency


def test_a_supervisor_overrides_missing_consent_on_a_legal_basis(client, team, case):
    receiver = AgencyFactory()
    data = {
        "to_agency": receiver.pk,
        "reason": "Court order",
        "legal_basis": "Decision 5/2026",
        "override": "on",
    }
    refused = text(login(client, team.worker).post(url("transfer_request", case), data, **HX))
    assert "Only a supervisor can override missing consent." in refused
    login(client, team.supervisor).post(url("transfer_request", case), data, **HX)
    assert CaseTransfer.objects.get(case=case).override_by == team.supervisor


# --- Closure -------------------------------------------------------------------------------------


def test_closure_is_requested_approved_by_a_supervisor_and_the_case_reopened(client, team, case):
    f.put_at(case, Stage.REINTEGRATION)
    login(client, team.worker)
    client.post(url("closure_request", case), {"reason": "Reintegrated with her family"}, **HX)
    request = ClosureRequest.objects.get(case=case)
    assert 'data-testid="closure-waiting"' in text(client.get(detail(case, "closure")))
    assert login(client, team.worker).post(url("closure_approve", case, request.pk)).status_code == 403
    login(client, team.supervisor)
    assert 'data-testid="approve-closure"' in text(client.get(detail(case, "closure")))
    asked = text(client.post(url("closure_approve", case, request.pk), {"note": "Agreed"}, **HX))
    assert 'data-testid="confirm-closure"' in asked
    assert 'name="note" value="Agreed"' in asked
    case.refresh_from_db()
    assert case.stage == Stage.REINTEGRATION
    client.post(url("closure_approve", case, request.pk), {"note": "Agreed", "confirmed": "on"}, **HX)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    request.refresh_from_db()
    assert request.decision_note == "Agreed"
    closed = text(client.get(detail(case)))
    assert "Closed" in closed
    assert 'data-testid="edit-risk"' not in closed
    login(client, team.worker)
    refused = text(client.post(url("case_reopen", case), {"reason": "", "version": case.version}, **HX))
    assert "This field is required." in refused
    client.post(url("case_reopen", case), {"reason": "She is at risk again", "version": case.version}, **HX)
    case.refresh_from_db()
    assert case.stage == Stage.REOPENED


def test_a_supervisor_returns_a_closure_request(client, team, case):
    request = services.closure_request(actor=team.worker, case=case, reason="Done")
    login(client, team.supervisor)
    client.post(url("closure_return", case, request.pk), {"note": "Follow-up visit first"}, **HX)
    request.refresh_from_db()
    assert request.status == "returned"
    assert "Follow-up visit first" in text(client.get(detail(case, "closure")))


# --- History -------------------------------------------------------------------------------------


def test_the_history_tab_lists_the_audit_events_of_the_case_and_its_records(client, team, case):
    services.note_add(actor=team.worker, case=case, kind="contact", body="Secret words")
    services.case_risk_set(actor=team.worker, case=case, risk_level="high", expected_version=case.version)
    login(client, team.supervisor)
    body = text(client.get(detail(case, "history")))
    assert body.count('data-testid="history-event"') == 3  # opened, note added, risk changed
    assert "case note" in body
    assert "risk level" in body
    assert "Secret words" not in body
    assert team.worker.username in body
    with_reads = text(client.get(detail(case, "history") + "&reads=1"))
    assert "View" in with_reads
    assert with_reads.count('data-testid="history-event"') > 3


def test_the_history_of_a_case_is_not_shown_outside_its_reach(client, case):
    outsider = member(Role.AUDITOR, scope=Scope.NATIONAL)
    assert login(client, outsider).get(detail(case, "history")).status_code == 403


def test_the_history_tab_names_a_reverse_relation_among_the_changed_fields(client, team, case):
    # Events written by merges and imports name a case's related records (`notes`, `consents`):
    # reverse relations, which have no verbose name; the tab used to fail with a server error.
    from shield import audit

    audit.record(
        action=AuditAction.UPDATE, actor=team.worker, obj=case, changed_fields=["notes", "consents", "stage"]
    )
    response = login(client, team.supervisor).get(detail(case, "history"))
    assert response.status_code == 200
    body = text(response)
    assert "case notes" in body
    assert "consents" in body


def test_a_goal_without_a_domain_is_offered_as_general():
    from shield.cases.forms import GoalForm

    assert str(GoalForm.base_fields["domain"].choices[0][1]) == "General (more than one domain)"


def test_a_child_in_conflict_with_the_law_has_no_victim_identification_tabs(client, team):
    case = f.open_case(actor=team.worker, agency=team.agency, case_type=CaseType.CHILD_IN_CONFLICT)
    login(client, team.worker)
    page = text(client.get(detail(case)))
    assert 'data-testid="tab-identification"' not in page
    assert 'data-testid="tab-trafficking"' not in page
    assert 'data-testid="tab-plan"' in page
    assert client.get(detail(case, "identification")).status_code == 404
    assert client.get(detail(case, "trafficking")).status_code == 404
    refused = client.post(url("identification_add", case), {"status": "identified"}, **HX)
    assert refused.status_code == 404


def test_a_trafficking_case_keeps_its_identification_tabs(client, team):
    case = f.open_case(actor=team.worker, agency=team.agency, case_type=CaseType.TRAFFICKING_VICTIM)
    login(client, team.worker)
    page = text(client.get(detail(case)))
    assert 'data-testid="tab-identification"' in page
    assert 'data-testid="tab-trafficking"' in page
