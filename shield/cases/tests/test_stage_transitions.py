"""Every pair of stages through the services: legal moves succeed with their guards satisfied,
illegal ones raise InvalidTransition with a message and change nothing."""

import itertools

import pytest

from shield.audit.models import AuditEvent
from shield.cases import services, stages
from shield.cases.models import (
    CarePlan,
    CarePlanStatus,
    CaseStageChange,
    CaseType,
    IdentificationStatus,
    Stage,
)
from shield.cases.tests import factories as f
from shield.core.errors import InvalidTransition

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(Stage, Stage))
LEGAL = [(s, t) for s, t in PAIRS if stages.transition_for(s, t) is not None]
ILLEGAL = [(s, t) for s, t in PAIRS if stages.transition_for(s, t) is None]


def _has_approved_plan(case):
    return CarePlan.objects.filter(case=case, status=CarePlanStatus.APPROVED).exists()


def _ids(pairs):
    return [f"{s}->{t}" for s, t in pairs]


def test_the_product_splits_into_legal_and_illegal_moves():
    assert len(LEGAL) == len(stages.TRANSITIONS) == 25
    assert len(LEGAL) + len(ILLEGAL) == len(Stage) ** 2 == 100


@pytest.mark.parametrize(("source", "target"), LEGAL, ids=_ids(LEGAL))
def test_legal_move_succeeds_through_its_service(source, target):
    team = f.team()
    # Going straight from registered to assessment is for cases that need no identification.
    case_type = (
        CaseType.CHILD_VICTIM_ABUSE
        if (source, target) == (Stage.REGISTERED, Stage.ASSESSMENT)
        else CaseType.TRAFFICKING_VICTIM
    )
    case = f.open_case(actor=team.worker, case_type=case_type)
    # Prerequisites of the source stage, then what the target's guards ask for.
    f.put_at(case, source, prerequisites=source not in (Stage.UNDERGOING_IDENTIFICATION, Stage.REOPENED))
    if target == Stage.CARE_PLAN:
        f.assessment(case)
    if target == Stage.SERVICES and not _has_approved_plan(case):
        f.approved_plan(case)
    before = case.version

    if target == Stage.CLOSED:
        request = services.closure_request(actor=team.worker, case=case, reason="Reintegrated, stable")
        case = services.closure_approve(actor=team.supervisor, request=request)
        assert case.closed_at is not None
        assert case.closure_reason == "Reintegrated, stable"
    elif target in (Stage.IDENTIFIED_VICTIM, Stage.NOT_A_VICTIM):
        services.identification_decide(
            actor=team.worker,
            case=case,
            status=IdentificationStatus.IDENTIFIED if target == Stage.IDENTIFIED_VICTIM else "not_a_victim",
            body_name="Công an tỉnh Lào Cai",
            body_type="police_provincial",
            decided_on=case.opened_at.date(),
            basis="Interview and documents",
        )
    elif target == Stage.REOPENED:
        case = services.case_reopen(
            actor=team.worker, case=case, reason="Returned to the trafficker", expected_version=before
        )
        assert case.closed_at is None
    else:
        case = services.case_transition(
            actor=team.worker, case=case, to_stage=target, expected_version=before, reason="Next step"
        )

    case.refresh_from_db()
    assert case.stage == target
    assert case.version == before + 1
    change = CaseStageChange.objects.filter(case=case).latest("changed_at")
    assert (change.from_stage, change.to_stage) == (source, target)
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="transition").exists()


@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=_ids(ILLEGAL))
def test_illegal_move_is_refused_with_a_reason_and_changes_nothing(source, target):
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), source)
    # Every guard that could apply is satisfied, so only the table refuses.
    f.assessment(case)
    if not _has_approved_plan(case):
        f.approved_plan(case)
    before = (case.stage, case.version, case.closed_at)
    changes, events = CaseStageChange.objects.count(), AuditEvent.objects.count()

    with pytest.raises(InvalidTransition) as refused:
        services.case_transition(
            actor=team.worker, case=case, to_stage=target, expected_version=case.version, reason="Trying"
        )

    assert refused.value.message
    assert refused.value.message != str(InvalidTransition.default_message)
    case.refresh_from_db()
    assert (case.stage, case.version, case.closed_at) == before
    assert CaseStageChange.objects.count() == changes
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("source", stages.OPEN_STAGES)
def test_closing_through_case_transition_is_refused_without_an_approved_request(source):
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), source)
    with pytest.raises(InvalidTransition) as refused:
        services.case_transition(
            actor=team.worker, case=case, to_stage=Stage.CLOSED, expected_version=case.version
        )
    assert refused.value.message == "Closing needs a supervisor's approval: request closure instead."
    case.refresh_from_db()
    assert case.stage == source


def test_a_care_plan_stage_without_an_assessment_is_refused_with_the_guard_message():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.ASSESSMENT)
    with pytest.raises(InvalidTransition) as refused:
        services.case_transition(
            actor=team.worker, case=case, to_stage=Stage.CARE_PLAN, expected_version=case.version
        )
    assert refused.value.message == "A care plan needs an assessment first."


def test_services_stage_needs_an_approved_plan():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.CARE_PLAN)
    with pytest.raises(InvalidTransition) as refused:
        services.case_transition(
            actor=team.worker, case=case, to_stage=Stage.SERVICES, expected_version=case.version
        )
    assert refused.value.message == "Services start once a supervisor has approved the care plan."


def test_identified_victim_only_through_a_decision():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.UNDERGOING_IDENTIFICATION, prerequisites=False)
    with pytest.raises(InvalidTransition) as refused:
        services.case_transition(
            actor=team.worker, case=case, to_stage=Stage.IDENTIFIED_VICTIM, expected_version=case.version
        )
    assert "identification decision" in refused.value.message


def test_a_case_found_not_a_victim_cannot_go_to_assessment():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), Stage.NOT_A_VICTIM)
    with pytest.raises(InvalidTransition) as refused:
        services.case_transition(
            actor=team.worker, case=case, to_stage=Stage.ASSESSMENT, expected_version=case.version
        )
    assert refused.value.message == "A case identified as not a victim cannot go to “Assessment”."
