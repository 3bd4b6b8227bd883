"""The case API on the case itself: the list (filters, masking, cursor pages, a constant number of
queries), opening, reading (ETag, audited), editing in place with optimistic concurrency (412 stale,
428 none, nothing lost) and moving through the stage machine (409 with the machine's reason)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from shield.accounts.roles import ROLE_PERMISSIONS, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.audit.models import AuditAction, AuditEvent
from shield.cases import services
from shield.cases.models import Case, CaseStageChange, CaseType, Stage
from shield.cases.tests import factories as f

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
D = datetime.date


def detail(case):
    return f"{CASES}{case.pk}/"


@pytest.fixture
def team():
    return f.team(AgencyFactory(code="hn-spc", name_en="Hanoi Protection Centre", province=province("01")))


@pytest.fixture
def api(team):
    client = APIClient()
    client.force_authenticate(team.worker)
    return client


def as_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def hoa_case(team):
    hoa = f.person(actor=team.worker, full_name="Nguyễn Thị Hoa", birth_date=D(1995, 3, 14))
    return services.case_open(
        actor=team.worker,
        person=hoa,
        case_type=CaseType.TRAFFICKING_VICTIM,
        owner_agency=team.agency,
        assigned_worker=team.worker,
    )


def walk(client, url, **params):
    """Every item of a cursor-paginated list, following `next`."""
    items, pages = [], 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        pages += 1
        if not body["next"]:
            return items, pages
        response = client.get(body["next"])


# --- list ----------------------------------------------------------------------------------------


def test_cursor_pages_walk_every_case_once_even_when_opened_at_the_same_moment(api, team):
    cases = [f.open_case(actor=team.worker) for _ in range(8)]
    same = timezone.now()
    Case.objects.filter(pk__in=[c.pk for c in cases[2:6]]).update(opened_at=same, reported_at=same)
    items, pages = walk(api, CASES, page_size=3)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 8
    assert set(ids) == {str(c.pk) for c in cases}
    assert pages == 3
    opened = [item["opened_at"] for item in items]
    assert opened == sorted(opened, reverse=True)
    assert all(item["version"] == 1 for item in items)


def test_the_list_filters_by_stage_type_agency_province_and_assignment(api, team, hoa_case):
    other = f.open_case(actor=team.worker, case_type=CaseType.CHILD_WITNESS)
    f.put_at(other, Stage.ASSESSMENT)
    elsewhere_team = f.team(AgencyFactory(province=province("79")))
    national = as_user(member(Role.SUPERVISOR, agency=elsewhere_team.agency, scope=Scope.NATIONAL))
    far_case = f.open_case(actor=elsewhere_team.worker)

    def ids(client=api, **params):
        response = client.get(CASES, params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["results"]}

    assert ids() == {str(hoa_case.pk), str(other.pk)}
    assert ids(stage="assessment") == {str(other.pk)}
    assert ids(stage=["assessment", "registered"]) == {str(hoa_case.pk), str(other.pk)}
    assert ids(case_type="child_witness") == {str(other.pk)}
    assert ids(assigned_to_me="true") == {str(hoa_case.pk)}
    everyone = {str(hoa_case.pk), str(other.pk), str(far_case.pk)}
    assert ids(national) == everyone
    assert ids(national, agency=str(elsewhere_team.agency.pk)) == {str(far_case.pk)}
    assert ids(national, province="79") == {str(far_case.pk)}
    assert ids(national, province="01") == {str(hoa_case.pk), str(other.pk)}


def test_overdue_and_search(api, team, hoa_case):
    tuan = f.person(actor=team.worker, full_name="Phạm Văn Tuấn", sex="male", birth_date=D(1988, 8, 8))
    late = f.open_case(actor=team.worker, person_=tuan)
    f.put_at(late, Stage.SERVICES)
    late.care_plans.get().goals.get().actions.update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    response = api.get(CASES, {"overdue": "true"})
    assert [item["id"] for item in response.json()["results"]] == [str(late.pk)]
    assert response.json()["results"][0]["has_overdue_actions"] is True

    by_name = api.get(CASES, {"q": "nguyen hoa"}).json()["results"]
    assert [item["id"] for item in by_name] == [str(hoa_case.pk)]
    by_reference = api.get(CASES, {"q": hoa_case.reference.lower()}).json()["results"]
    assert [item["id"] for item in by_reference] == [str(hoa_case.pk)]


def test_bad_filters_answer_400_per_field(api):
    response = api.get(CASES, {"stage": "nowhere", "province": "99", "agency": "not-a-uuid"})
    assert response.status_code == 400
    body = response.json()
    assert "stage" in body
    assert "agency" in body
    response = api.get(CASES, {"province": "99"})
    assert response.status_code == 400
    assert response.json()["province"] == ["No province has this code."]


def test_a_childs_name_is_masked_for_a_role_that_does_not_need_it(monkeypatch, team):
    monkeypatch.setitem(
        ROLE_PERMISSIONS,
        Role.JUSTICE_OFFICER,
        ROLE_PERMISSIONS[Role.JUSTICE_OFFICER] - {"people.see_child_names"},
    )
    child = f.person(actor=team.worker, full_name="Lò Thị Xuân", birth_date=D(2012, 5, 1))
    case = f.open_case(actor=team.worker, person_=child, case_type=CaseType.CHILD_VICTIM_ABUSE)
    reader = member(Role.JUSTICE_OFFICER, agency=team.agency)

    listed = as_user(reader).get(CASES)
    assert listed.status_code == 200
    assert "Xuân" not in listed.content.decode()
    item = listed.json()["results"][0]
    assert item["person"] == {"id": str(child.pk), "display_name": "L. T. X. (2012)", "name_masked": True}
    one = as_user(reader).get(detail(case))
    assert "Xuân" not in one.content.decode()
    # ...and cannot be found by it either.
    assert as_user(reader).get(CASES, {"q": "lo thi xuan"}).json()["results"] == []

    shown = as_user(team.worker).get(CASES).json()["results"][0]["person"]
    assert shown["display_name"] == "Lò Thị Xuân"
    assert shown["name_masked"] is False


def test_the_list_costs_the_same_number_of_queries_for_2_or_20_cases(api, team):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = api.get(CASES, {"page_size": 50})
        assert response.status_code == 200
        return len(response.json()["results"]), len(queries)

    count()  # the user's memberships are read once and kept for the request's user
    for _ in range(2):
        f.open_case(actor=team.worker, assigned_worker=team.worker)
    few, few_queries = count()
    for _ in range(18):
        f.open_case(actor=team.worker, assigned_worker=team.worker)
    many, many_queries = count()
    assert (few, many) == (2, 20)
    assert many_queries == few_queries
    assert many_queries <= 8


# --- open ----------------------------------------------------------------------------------------


def test_opening_a_case_answers_201_with_location_and_etag(api, team):
    mai = f.person(actor=team.worker, full_name="Giàng Thị Mai", birth_date=D(1990, 2, 2))
    response = api.post(
        CASES,
        {"person": str(mai.pk), "case_type": "at_risk_migrant", "risk_level": "high"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert response["Location"] == f"http://testserver{detail(case)}"
    assert response["ETag"] == '"1"'
    assert body["stage"] == "registered"
    assert body["owner_agency"]["id"] == str(team.agency.pk)
    assert body["person"]["display_name"] == "Giàng Thị Mai"
    assert body["reference"] == case.reference
    assert case.risk_level == "high"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(case.pk)).exists()


def test_opening_answers_400_per_field_and_creates_nothing(api, team):
    mai = f.person(actor=team.worker, full_name="Giàng Thị Mai", birth_date=D(1990, 2, 2))
    response = api.post(CASES, {"person": str(mai.pk), "case_type": "holiday"}, format="json")
    assert response.status_code == 400
    assert "case_type" in response.json()
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    response = api.post(
        CASES, {"person": str(mai.pk), "case_type": "at_risk_migrant", "reported_at": future}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["reported_at"] == ["The report cannot come from the future."]
    assert not Case.objects.exists()


def test_a_person_out_of_reach_is_a_field_error_and_creates_nothing(api, team):
    stranger = f.person(actor=member(Role.CASE_WORKER), full_name="Trần Văn Nam", sex="male")
    response = api.post(CASES, {"person": str(stranger.pk), "case_type": "at_risk_migrant"}, format="json")
    assert response.status_code == 400
    assert response.json()["person"] == ["Person not found."]
    assert "Trần" not in response.content.decode()
    assert not Case.objects.exists()


# --- read ----------------------------------------------------------------------------------------


def test_reading_a_case_carries_its_etag_and_is_audited(api, team, hoa_case):
    response = api.get(detail(hoa_case))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert body["version"] == 1
    assert body["person"]["display_name"] == "Nguyễn Thị Hoa"
    assert body["verification_deadline"] is not None  # Law 53/2024: three days for a trafficking report
    assert body["identification_status"] is None
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(hoa_case.pk)).get()
    assert event.actor == team.worker
    assert event.object_type == "cases.case"


def test_missing_and_out_of_reach_cases_look_the_same(hoa_case):
    outsider = as_user(member(Role.CASE_WORKER, agency=AgencyFactory(province=province("79"))))
    out_of_reach = outsider.get(detail(hoa_case))
    missing = outsider.get(f"{CASES}00000000-0000-4000-8000-000000000000/")
    assert out_of_reach.status_code == missing.status_code == 404
    assert out_of_reach.json() == missing.json()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(hoa_case.pk)).exists()


# --- edit in place -------------------------------------------------------------------------------


def test_patch_with_if_match_changes_the_case_and_its_etag(api, team, hoa_case):
    colleague = member(Role.CASE_WORKER, agency=team.agency)
    etag = api.get(detail(hoa_case))["ETag"]
    response = api.patch(
        detail(hoa_case),
        {"risk_level": "critical", "assigned_worker": str(colleague.pk)},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert response["ETag"] == f'"{response.json()["version"]}"'
    hoa_case.refresh_from_db()
    assert (hoa_case.risk_level, hoa_case.assigned_worker) == ("critical", colleague)
    assert hoa_case.version == 2  # one change, one version step
    assert response.json()["assigned_worker"]["id"] == str(colleague.pk)
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(hoa_case.pk)).get()
    assert sorted(event.changed_fields) == ["assigned_worker", "risk_level"]


def test_version_in_the_body_works_too(api, hoa_case):
    response = api.patch(detail(hoa_case), {"risk_level": "low", "version": 1}, format="json")
    assert response.status_code == 200
    assert response["ETag"] == '"2"'


def test_a_stale_if_match_answers_412_and_changes_nothing(api, team, hoa_case):
    services.case_risk_set(actor=team.supervisor, case=hoa_case, risk_level="high", expected_version=1)
    response = api.patch(detail(hoa_case), {"risk_level": "low"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert "Someone else changed this record" in response.json()["detail"]
    hoa_case.refresh_from_db()
    assert (hoa_case.risk_level, hoa_case.version) == ("high", 2)


def test_two_editors_the_second_is_refused_and_the_first_change_kept(api, team, hoa_case):
    first = as_user(team.supervisor)
    assert (
        first.patch(detail(hoa_case), {"risk_level": "critical", "version": 1}, format="json").status_code
        == 200
    )
    second = api.patch(detail(hoa_case), {"risk_level": "low", "version": 1}, format="json")
    assert second.status_code == 412
    hoa_case.refresh_from_db()
    assert hoa_case.risk_level == "critical"


def test_no_version_at_all_answers_428_even_before_field_errors(api, hoa_case):
    response = api.patch(detail(hoa_case), {"risk_level": "extreme"}, format="json")
    assert response.status_code == 428
    assert "version" in response.json()["detail"]


def test_a_malformed_if_match_is_a_field_error(api, hoa_case):
    response = api.patch(detail(hoa_case), {"risk_level": "low"}, format="json", HTTP_IF_MATCH="yesterday")
    assert response.status_code == 400
    assert "If-Match" in response.json()


def test_field_errors_answer_400_per_field_and_both_changes_happen_or_neither(api, team, hoa_case):
    response = api.patch(detail(hoa_case), {"risk_level": "extreme", "version": 1}, format="json")
    assert response.status_code == 400
    assert "risk_level" in response.json()
    outsider = member(Role.CASE_WORKER)  # not of the owning agency
    response = api.patch(
        detail(hoa_case),
        {"risk_level": "critical", "assigned_worker": str(outsider.pk), "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["assigned_worker"] == [
        "The worker must be an active case worker or supervisor of the owning agency."
    ]
    hoa_case.refresh_from_db()
    assert (hoa_case.risk_level, hoa_case.version, hoa_case.assigned_worker) == ("medium", 1, team.worker)
    response = api.patch(detail(hoa_case), {"version": 1}, format="json")
    assert response.status_code == 400


def test_unassigning_with_null(api, hoa_case):
    response = api.patch(detail(hoa_case), {"assigned_worker": None, "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["assigned_worker"] is None


# --- stage machine -------------------------------------------------------------------------------


def test_a_legal_transition_answers_200_with_the_new_stage_and_etag(api, hoa_case):
    response = api.post(
        f"{detail(hoa_case)}transitions/",
        {"to_stage": "undergoing_identification", "reason": "Screened at the border"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "undergoing_identification"
    assert response["ETag"] == '"2"'
    change = CaseStageChange.objects.get(case=hoa_case)
    assert (change.from_stage, change.to_stage, change.reason) == (
        "registered",
        "undergoing_identification",
        "Screened at the border",
    )


def test_an_illegal_transition_answers_409_with_the_machines_reason(api, hoa_case):
    url = f"{detail(hoa_case)}transitions/"
    response = api.post(url, {"to_stage": "assessment", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "A possible trafficking victim is identified before assessment: start identification first."
    )
    response = api.post(url, {"to_stage": "closed", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "Closing needs a supervisor's approval: request closure instead."
    response = api.post(url, {"to_stage": "care_plan", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "A care plan needs an assessment first."
    hoa_case.refresh_from_db()
    assert (hoa_case.stage, hoa_case.version) == ("registered", 1)
    assert not CaseStageChange.objects.exists()


def test_transitions_need_a_current_version(api, hoa_case):
    url = f"{detail(hoa_case)}transitions/"
    assert api.post(url, {"to_stage": "undergoing_identification"}, format="json").status_code == 428
    stale = api.post(url, {"to_stage": "undergoing_identification", "version": 7}, format="json")
    assert stale.status_code == 412
    unknown = api.post(url, {"to_stage": "limbo", "version": 1}, format="json")
    assert unknown.status_code == 400
    assert "to_stage" in unknown.json()
    assert not CaseStageChange.objects.exists()


def test_the_moves_on_offer_and_the_history(api, team, hoa_case):
    services.case_transition(
        actor=team.worker, case=hoa_case, to_stage="undergoing_identification", expected_version=1
    )
    response = api.get(f"{detail(hoa_case)}transitions/")
    assert response.status_code == 200
    body = response.json()
    assert (body["stage"], body["version"]) == ("undergoing_identification", 2)
    options = {o["to_stage"]: o for o in body["options"]}
    assert options["identified_victim"]["allowed"] is False
    assert "identification decision" in options["identified_victim"]["refused_because"]
    assert [(h["from_stage"], h["to_stage"]) for h in body["history"]] == [
        ("registered", "undergoing_identification")
    ]
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(hoa_case.pk)).count() == 1
    # A reader who may not change the case is offered no moves.
    reader = as_user(member(Role.JUSTICE_OFFICER, agency=team.agency))
    assert reader.get(f"{detail(hoa_case)}transitions/").json()["options"] == []


def test_reopening_needs_a_closed_case_a_reason_and_the_version(api, hoa_case):
    url = f"{detail(hoa_case)}reopen/"
    response = api.post(url, {"reason": "New information", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "Only a closed case can be reopened."
    closed = f.put_at(hoa_case, Stage.CLOSED)
    response = api.post(url, {"reason": "  ", "version": closed.version}, format="json")
    assert response.status_code == 400
    assert response.json()["reason"] == ["Say why the case is reopened."]
    assert api.post(url, {"reason": "New information"}, format="json").status_code == 428
    response = api.post(
        url, {"reason": "New information"}, format="json", HTTP_IF_MATCH=f'"{closed.version}"'
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "reopened"
    assert response.json()["closed_at"] is None
