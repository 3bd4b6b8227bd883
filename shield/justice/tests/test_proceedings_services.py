"""Services of the proceedings part: opening, steps, hand-over order, assignments, parties."""

import datetime

import pytest
from django.utils import timezone

from shield.audit.models import AuditEvent
from shield.core.errors import (
    InvalidTransition,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.justice.models import (
    HoldingRole,
    PartyOutcome,
    PartyRole,
    ProceedingHolding,
    ProceedingStatus,
    ProceedingStep,
    StepKind,
)
from shield.justice.proceedings import services
from shield.justice.tests import proceedings_factories as pf
from shield.people.models import BirthDatePrecision

pytestmark = pytest.mark.django_db


def test_opening_gives_a_reference_a_holding_a_first_step_and_an_audit_event() -> None:
    d = pf.desk()
    proceeding = pf.open_proceeding(at=d, offence_codes=("BLHS-150", "BLHS-151"))
    assert proceeding.reference.startswith(d.agency.code.upper() + "-DT-")
    assert set(proceeding.offences.values_list("code", flat=True)) == {"BLHS-150", "BLHS-151"}
    holding = ProceedingHolding.objects.get(proceeding=proceeding)
    assert holding.agency == d.agency
    assert holding.ended_at is None
    assert list(proceeding.steps.values_list("kind", flat=True)) == [StepKind.REPORT_RECEIVED]
    assert AuditEvent.objects.filter(object_id=str(proceeding.pk), action="create").exists()


def test_opening_refuses_unknown_offences_and_other_agencies() -> None:
    d = pf.desk()
    with pytest.raises(ValidationFailed) as refused:
        pf.open_proceeding(at=d, offence_codes=("BLHS-999",))
    assert "offences" in refused.value.field_errors
    other = pf.desk()
    with pytest.raises(PermissionRefused):
        services.proceeding_open(
            actor=d.officer,
            kind="criminal",
            offence_codes=["BLHS-150"],
            holding_agency=other.agency,
            holding_role=HoldingRole.INVESTIGATION,
            reported_at=timezone.now(),
        )


def test_a_step_needs_the_current_version() -> None:
    proceeding = pf.open_proceeding()
    officer = proceeding.created_by
    with pytest.raises(VersionRequired):
        services.step_record(
            actor=officer,
            proceeding=proceeding,
            expected_version=None,
            kind=StepKind.CASE_INSTITUTED,
            occurred_on=timezone.localdate(),
        )
    services.step_record(
        actor=officer,
        proceeding=proceeding,
        expected_version=proceeding.version,
        kind=StepKind.CASE_INSTITUTED,
        occurred_on=timezone.localdate(),
    )
    with pytest.raises(StaleVersion):
        services.step_record(
            actor=officer,
            proceeding=proceeding,
            expected_version=proceeding.version,
            kind=StepKind.ACCUSED_CHARGED,
            occurred_on=timezone.localdate(),
        )
    assert proceeding.steps.count() == 2


def test_suspension_allows_only_resumption_or_dismissal_and_dismissal_closes() -> None:
    proceeding = pf.open_proceeding()
    officer = proceeding.created_by
    today = timezone.localdate()
    services.step_record(
        actor=officer, proceeding=proceeding, expected_version=1, kind=StepKind.SUSPENDED, occurred_on=today
    )
    proceeding.refresh_from_db()
    assert proceeding.status == ProceedingStatus.SUSPENDED
    with pytest.raises(InvalidTransition):
        services.step_record(
            actor=officer,
            proceeding=proceeding,
            expected_version=proceeding.version,
            kind=StepKind.INDICTMENT,
            occurred_on=today,
        )
    services.step_record(
        actor=officer,
        proceeding=proceeding,
        expected_version=proceeding.version,
        kind=StepKind.DISMISSED,
        occurred_on=today,
    )
    proceeding.refresh_from_db()
    assert proceeding.status == ProceedingStatus.CLOSED
    assert proceeding.closed_at is not None
    assert not ProceedingHolding.objects.filter(proceeding=proceeding, ended_at__isnull=True).exists()


def test_a_hearing_is_a_step_scheduled_in_the_future_and_a_past_date_cannot_be_in_the_future() -> None:
    proceeding = pf.open_proceeding()
    when = timezone.now() + datetime.timedelta(days=3)
    step = services.step_record(
        actor=proceeding.created_by,
        proceeding=proceeding,
        expected_version=1,
        kind=StepKind.FIRST_INSTANCE_TRIAL,
        scheduled_for=when,
    )
    assert step.scheduled_for == when
    assert step.occurred_on is None
    with pytest.raises(ValidationFailed):
        services.step_record(
            actor=proceeding.created_by,
            proceeding=proceeding,
            expected_version=2,
            kind=StepKind.INDICTMENT,
            occurred_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_hand_over_follows_the_order_one_stage_at_a_time() -> None:
    police = pf.desk()
    procuracy = pf.desk(HoldingRole.PROCURACY)
    court = pf.desk(HoldingRole.COURT)
    proceeding = pf.open_proceeding(at=police)
    with pytest.raises(InvalidTransition):
        services.proceeding_hand_over(
            actor=police.officer,
            proceeding=proceeding,
            expected_version=1,
            to_agency=court.agency,
            to_role=HoldingRole.COURT,
        )
    services.proceeding_hand_over(
        actor=police.officer,
        proceeding=proceeding,
        expected_version=1,
        to_agency=procuracy.agency,
        to_role=HoldingRole.PROCURACY,
    )
    proceeding.refresh_from_db()
    assert proceeding.holding_agency == procuracy.agency
    assert proceeding.holding_role == HoldingRole.PROCURACY
    holdings = list(ProceedingHolding.objects.filter(proceeding=proceeding).order_by("started_at"))
    assert [h.role for h in holdings] == [HoldingRole.INVESTIGATION, HoldingRole.PROCURACY]
    assert holdings[0].ended_at is not None
    assert holdings[1].ended_at is None
    # The police no longer hold it: an officer there who is not assigned may not hand it on,
    # though they still see it.
    colleague = pf.desk(agency=police.agency).officer
    with pytest.raises(PermissionRefused):
        services.proceeding_hand_over(
            actor=colleague,
            proceeding=proceeding,
            expected_version=proceeding.version,
            to_agency=court.agency,
            to_role=HoldingRole.COURT,
        )


def test_going_back_needs_a_return_for_further_investigation() -> None:
    police, procuracy = pf.desk(), pf.desk(HoldingRole.PROCURACY)
    proceeding = pf.open_proceeding(at=police)
    services.proceeding_hand_over(
        actor=police.officer,
        proceeding=proceeding,
        expected_version=1,
        to_agency=procuracy.agency,
        to_role=HoldingRole.PROCURACY,
    )
    proceeding.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.proceeding_hand_over(
            actor=procuracy.officer,
            proceeding=proceeding,
            expected_version=proceeding.version,
            to_agency=police.agency,
            to_role=HoldingRole.INVESTIGATION,
        )
    services.step_record(
        actor=procuracy.officer,
        proceeding=proceeding,
        expected_version=proceeding.version,
        kind=StepKind.RETURNED_FOR_INVESTIGATION,
        occurred_on=timezone.localdate(),
    )
    proceeding.refresh_from_db()
    services.proceeding_hand_over(
        actor=procuracy.officer,
        proceeding=proceeding,
        expected_version=proceeding.version,
        to_agency=police.agency,
        to_role=HoldingRole.INVESTIGATION,
    )
    proceeding.refresh_from_db()
    assert proceeding.holding_role == HoldingRole.INVESTIGATION


def _born(years_before: datetime.date, years: int, days: int = 0) -> datetime.date:
    return years_before.replace(year=years_before.year - years) + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("age_years", "extra_days", "child"),
    [
        (13, 0, True),
        (14, 0, True),
        (16, 0, True),
        (17, 364, True),  # the day before the 18th birthday... (born 18 years minus a day ago)
        (18, 0, False),  # the 18th birthday itself: an adult
    ],
)
def test_is_child_is_decided_at_the_event_date(age_years: int, extra_days: int, child: bool) -> None:
    event_on = datetime.date(2025, 6, 15)
    birth = _born(event_on, 18, days=1) if age_years == 17 else _born(event_on, age_years, days=extra_days)
    proceeding = pf.open_proceeding(reported_at=timezone.now() - datetime.timedelta(days=10))
    party = pf.party(proceeding, role=PartyRole.ACCUSED, event_on=event_on, birth_date=birth)
    assert party.is_child is child


def test_an_unknown_age_counts_as_a_child() -> None:
    proceeding = pf.open_proceeding()
    party = pf.party(proceeding, role=PartyRole.WITNESS, birth_date_precision=BirthDatePrecision.UNKNOWN)
    assert party.is_child is True


def test_a_year_only_birth_counts_as_a_child_while_any_date_in_that_year_would() -> None:
    proceeding = pf.open_proceeding()
    party = pf.party(
        proceeding,
        role=PartyRole.VICTIM,
        event_on=datetime.date(2025, 6, 1),
        birth_date=datetime.date(2007, 1, 1),
        birth_date_precision=BirthDatePrecision.YEAR,
    )
    assert party.is_child is True  # born any day of 2007: maybe still 17 on 1 June 2025


def test_outcome_only_for_the_accused_and_a_custodial_sentence_needs_its_length() -> None:
    proceeding = pf.open_proceeding()
    victim = pf.party(proceeding, role=PartyRole.VICTIM)
    with pytest.raises(ValidationFailed):
        services.party_outcome_set(
            actor=proceeding.created_by,
            party=victim,
            expected_version=1,
            outcome=PartyOutcome.CONVICTED,
            outcome_on=timezone.localdate(),
        )
    accused = pf.party(
        proceeding, role=PartyRole.ACCUSED, birth_date=datetime.date(1980, 1, 1), full_name="Lê Văn Tám"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.party_outcome_set(
            actor=proceeding.created_by,
            party=accused,
            expected_version=1,
            outcome=PartyOutcome.CONVICTED,
            outcome_on=timezone.localdate(),
            sentence_custodial=True,
        )
    assert "sentence_months" in refused.value.field_errors
    services.party_outcome_set(
        actor=proceeding.created_by,
        party=accused,
        expected_version=1,
        outcome=PartyOutcome.CONVICTED,
        outcome_on=timezone.localdate(),
        sentence_custodial=True,
        sentence_months=96,
    )
    accused.refresh_from_db()
    assert (accused.outcome, accused.sentence_months, accused.version) == (PartyOutcome.CONVICTED, 96, 2)
    with pytest.raises(StaleVersion):
        services.party_outcome_set(
            actor=proceeding.created_by,
            party=accused,
            expected_version=1,
            outcome=PartyOutcome.ACQUITTED,
            outcome_on=timezone.localdate(),
        )


def test_assignment_and_unassignment_keep_the_record() -> None:
    d = pf.desk()
    proceeding = pf.open_proceeding(at=d)
    colleague = pf.desk(agency=d.agency).officer
    assignment = pf.assign(proceeding, colleague)
    with pytest.raises(ValidationFailed):
        pf.assign(proceeding, colleague)
    services.officer_unassign(actor=d.officer, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert ProceedingStep.objects.filter(proceeding=proceeding).count() == 1
