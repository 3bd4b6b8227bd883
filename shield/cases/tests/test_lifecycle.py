import datetime
import re

import pytest
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.cases import services
from shield.cases.models import (
    Case,
    CaseStageChange,
    CaseType,
    ClosureRequest,
    ClosureStatus,
    IdentificationDecision,
    IdentificationStatus,
    RiskLevel,
    Stage,
)
from shield.cases.tests import factories as f
from shield.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)

pytestmark = pytest.mark.django_db


def _decide(actor, case, status=IdentificationStatus.IDENTIFIED, **extra):
    return services.identification_decide(
        actor=actor,
        case=case,
        status=status,
        body_name=extra.pop("body_name", "Đồn Biên phòng Lào Cai"),
        body_type=extra.pop("body_type", "border_guard"),
        decided_on=extra.pop("decided_on", timezone.localdate()),
        basis=extra.pop("basis", "Screening interview"),
        **extra,
    )


# --- Opening -------------------------------------------------------------------------------------


def test_opening_a_case_gives_a_readable_reference_per_agency_and_year():
    team = f.team(code="spc-ha-noi")
    first = f.open_case(actor=team.worker)
    second = f.open_case(actor=team.worker)
    year = timezone.localdate().year
    assert first.reference == f"SPC-HA-NOI-{year}-000001"
    assert second.reference == f"SPC-HA-NOI-{year}-000002"
    other = f.open_case(agency=AgencyFactory(code="police-an-giang"))
    assert re.fullmatch(rf"POLICE-AN-GIANG-{year}-000001", other.reference)


def test_a_new_case_starts_registered_with_its_report_time():
    team = f.team()
    reported = timezone.now() - datetime.timedelta(days=2)
    case = f.open_case(actor=team.worker, reported_at=reported, risk_level=RiskLevel.HIGH)
    assert case.stage == Stage.REGISTERED
    assert case.reported_at == reported
    assert case.opened_at >= reported
    assert (case.risk_level, case.version, case.created_by) == (RiskLevel.HIGH, 1, team.worker)


def test_opening_refuses_a_report_from_the_future_and_unknown_types():
    team = f.team()
    person = f.person(actor=team.worker)
    with pytest.raises(ValidationFailed) as refused:
        services.case_open(
            actor=team.worker,
            person=person,
            case_type="kidnapping",
            owner_agency=team.agency,
            reported_at=timezone.now() + datetime.timedelta(hours=2),
        )
    assert set(refused.value.field_errors) == {"case_type", "reported_at"}
    assert not Case.objects.exists()


def test_only_case_workers_reaching_the_agency_open_cases_there():
    team = f.team()
    person = f.person(actor=team.worker)
    outsider = member(Role.CASE_WORKER)
    with pytest.raises(PermissionRefused):
        services.case_open(
            actor=outsider, person=person, case_type=CaseType.CHILD_WITNESS, owner_agency=team.agency
        )
    frontline = member(Role.FRONTLINE_OFFICER, agency=team.agency)
    with pytest.raises(PermissionRefused):
        services.case_open(
            actor=frontline, person=person, case_type=CaseType.CHILD_WITNESS, owner_agency=team.agency
        )
    assert not Case.objects.exists()


def test_opening_a_case_for_a_person_the_actor_cannot_see_is_not_found():
    team = f.team()
    stranger = f.person(actor=member(Role.CASE_WORKER))
    with pytest.raises(NotFound):
        services.case_open(
            actor=team.worker, person=stranger, case_type=CaseType.CHILD_WITNESS, owner_agency=team.agency
        )


# --- Assignment, risk, concurrency ---------------------------------------------------------------


def test_assigning_to_a_case_worker_of_the_owning_agency():
    team = f.team()
    case = f.open_case(actor=team.worker)
    case = services.case_assign(actor=team.supervisor, case=case, worker=team.worker, expected_version=1)
    assert (case.assigned_worker, case.version) == (team.worker, 2)


@pytest.mark.parametrize("who", ["other_agency_worker", "statistician_in_agency", "inactive_worker"])
def test_assigning_to_someone_outside_the_agencys_case_work_is_refused(who):
    team = f.team()
    case = f.open_case(actor=team.worker)
    if who == "other_agency_worker":
        worker = member(Role.CASE_WORKER)
    elif who == "statistician_in_agency":
        worker = member(Role.STATISTICIAN, agency=team.agency)
    else:
        worker = member(Role.CASE_WORKER, agency=team.agency)
        worker.is_active = False
        worker.save()
    with pytest.raises(ValidationFailed) as refused:
        services.case_assign(actor=team.supervisor, case=case, worker=worker, expected_version=1)
    assert "assigned_worker" in refused.value.field_errors
    case.refresh_from_db()
    assert (case.assigned_worker, case.version) == (None, 1)


def test_two_editors_the_second_is_refused_and_the_first_change_survives():
    team = f.team()
    case = f.open_case(actor=team.worker)
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    services.case_risk_set(
        actor=team.worker, case=first, risk_level=RiskLevel.CRITICAL, expected_version=first.version
    )
    with pytest.raises(StaleVersion) as refused:
        services.case_assign(
            actor=team.supervisor, case=second, worker=team.worker, expected_version=second.version
        )
    assert "Someone else changed this record" in refused.value.message
    assert refused.value.status_code == 412
    case.refresh_from_db()
    assert (case.risk_level, case.assigned_worker, case.version) == (RiskLevel.CRITICAL, None, 2)


def test_a_stale_stage_change_is_refused_before_the_machine_is_asked():
    team = f.team()
    case = f.open_case(actor=team.worker)
    services.case_transition(
        actor=team.worker, case=case, to_stage=Stage.UNDERGOING_IDENTIFICATION, expected_version=1
    )
    with pytest.raises(StaleVersion):
        services.case_transition(
            actor=team.supervisor, case=case, to_stage=Stage.UNDERGOING_IDENTIFICATION, expected_version=1
        )
    assert CaseStageChange.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    "write",
    [
        lambda t, c: services.case_transition(
            actor=t.worker, case=c, to_stage=Stage.ASSESSMENT, expected_version=None
        ),
        lambda t, c: services.case_assign(actor=t.worker, case=c, worker=t.worker, expected_version=None),
        lambda t, c: services.case_risk_set(actor=t.worker, case=c, risk_level="low", expected_version=None),
    ],
    ids=["transition", "assign", "risk"],
)
def test_a_write_naming_no_version_is_refused(write):
    team = f.team()
    case = f.open_case(actor=team.worker, case_type=CaseType.CHILD_WITNESS)
    with pytest.raises(VersionRequired) as refused:
        write(team, case)
    assert refused.value.status_code == 428
    case.refresh_from_db()
    assert (case.stage, case.version, case.assigned_worker) == (Stage.REGISTERED, 1, None)


# --- Identification ------------------------------------------------------------------------------


def test_an_identified_decision_walks_a_registered_case_through_identification():
    team = f.team()
    case = f.open_case(actor=team.worker)
    decision = _decide(team.worker, case, documents=["Biên bản xác minh số 12", " "])
    case.refresh_from_db()
    assert case.stage == Stage.IDENTIFIED_VICTIM
    assert decision.documents == ["Biên bản xác minh số 12"]
    moves = list(CaseStageChange.objects.filter(case=case).values_list("from_stage", "to_stage"))
    assert moves == [
        (Stage.REGISTERED, Stage.UNDERGOING_IDENTIFICATION),
        (Stage.UNDERGOING_IDENTIFICATION, Stage.IDENTIFIED_VICTIM),
    ]


def test_a_possible_victim_decision_starts_identification_only():
    team = f.team()
    case = f.open_case(actor=team.worker)
    _decide(team.worker, case, IdentificationStatus.POSSIBLE)
    case.refresh_from_db()
    assert case.stage == Stage.UNDERGOING_IDENTIFICATION


def test_a_decision_on_a_case_further_along_is_recorded_without_moving_it():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.SERVICES)
    _decide(
        team.worker, case, IdentificationStatus.IDENTIFIED, body_name="Tòa án nhân dân", body_type="court"
    )
    case.refresh_from_db()
    assert case.stage == Stage.SERVICES
    assert IdentificationDecision.objects.filter(case=case, body_type="court").exists()


def test_a_decision_needs_its_body_basis_and_a_past_date():
    team = f.team()
    case = f.open_case(actor=team.worker)
    with pytest.raises(ValidationFailed) as refused:
        _decide(
            team.worker,
            case,
            "maybe",
            body_name=" ",
            body_type="spaceship",
            basis="",
            decided_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert set(refused.value.field_errors) == {"status", "body_name", "body_type", "basis", "decided_on"}
    assert not IdentificationDecision.objects.exists()


def test_the_decision_basis_is_encrypted_at_rest():
    team = f.team()
    decision = _decide(team.worker, f.open_case(actor=team.worker), basis="Bị lừa sang Trung Quốc")
    stored = f.raw_value(IdentificationDecision, "basis", decision.pk)
    assert "Trung Quốc" not in stored
    assert stored.startswith("fernet:")


# --- Closure and reopening -----------------------------------------------------------------------


def test_closing_needs_a_supervisor_to_approve_a_request():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.REINTEGRATION)
    request = services.closure_request(actor=team.worker, case=case, reason="Reintegrated for a year")
    case.refresh_from_db()
    assert case.stage == Stage.REINTEGRATION  # a request alone closes nothing
    with pytest.raises(PermissionRefused):
        services.closure_approve(actor=member(Role.CASE_WORKER, agency=team.agency), request=request)
    case = services.closure_approve(actor=team.supervisor, request=request, note="Agreed")
    assert case.stage == Stage.CLOSED
    assert case.closure_reason == "Reintegrated for a year"
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ClosureStatus.APPROVED, team.supervisor)


def test_a_supervisor_cannot_approve_their_own_closure_request():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.REINTEGRATION)
    request = services.closure_request(actor=team.supervisor, case=case, reason="Moved abroad")
    with pytest.raises(PermissionRefused):
        services.closure_approve(actor=team.supervisor, request=request)
    case.refresh_from_db()
    assert case.stage == Stage.REINTEGRATION


def test_a_supervisor_of_another_agency_does_not_even_see_the_request():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.REINTEGRATION)
    request = services.closure_request(actor=team.worker, case=case, reason="Moved abroad")
    with pytest.raises(NotFound):
        services.closure_approve(actor=f.team().supervisor, request=request)


def test_a_returned_closure_leaves_the_case_open_and_says_why():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.SERVICES)
    request = services.closure_request(actor=team.worker, case=case, reason="Done")
    with pytest.raises(ValidationFailed):
        services.closure_return(actor=team.supervisor, request=request, note=" ")
    returned = services.closure_return(actor=team.supervisor, request=request, note="Follow-up visit first")
    assert returned.status == ClosureStatus.RETURNED
    case.refresh_from_db()
    assert case.stage == Stage.SERVICES
    with pytest.raises(InvalidTransition):
        services.closure_approve(actor=team.supervisor, request=returned)
    services.closure_request(actor=team.worker, case=case, reason="Visited, stable")  # may ask again


def test_only_one_closure_request_waits_at_a_time():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.SERVICES)
    services.closure_request(actor=team.worker, case=case, reason="Done")
    with pytest.raises(ValidationFailed):
        services.closure_request(actor=team.worker, case=case, reason="Done, really")
    assert ClosureRequest.objects.count() == 1


def test_a_closed_case_takes_no_changes_until_reopened():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.CLOSED)
    with pytest.raises(InvalidTransition) as refused:
        services.note_add(actor=team.worker, case=case, kind="contact", body="Called")
    assert refused.value.message == "This case is closed: reopen it first."


def test_reopening_needs_a_reason_and_clears_the_closure():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.REINTEGRATION)
    request = services.closure_request(actor=team.worker, case=case, reason="Stable")
    case = services.closure_approve(actor=team.supervisor, request=request)
    with pytest.raises(ValidationFailed) as refused:
        services.case_reopen(actor=team.worker, case=case, reason="  ", expected_version=case.version)
    assert "reason" in refused.value.field_errors
    case = services.case_reopen(
        actor=team.worker, case=case, reason="Contacted by the recruiter again", expected_version=case.version
    )
    assert (case.stage, case.closed_at, case.closure_reason) == (Stage.REOPENED, None, "")
    change = CaseStageChange.objects.filter(case=case).latest("changed_at")
    assert change.reason == "Contacted by the recruiter again"


def test_reopening_through_the_machine_without_a_reason_is_refused():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.CLOSED)
    with pytest.raises(InvalidTransition) as refused:
        services.case_transition(
            actor=team.worker, case=case, to_stage=Stage.REOPENED, expected_version=case.version
        )
    assert refused.value.message == "Reopening needs a reason."
