"""The children's rules at their boundaries: interview limits (Art. 156, CPC Art. 412(5)), the
local day, refusals and justified exceptions, diversion eligibility at 13/14/16/18, deadlines and
their one-time breach notice, and the administrator's values over the file."""

import datetime

import pytest
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.audit.models import AuditEvent
from shield.core.errors import InvalidTransition, PermissionRefused, ValidationFailed
from shield.justice.children import rules, selectors, services
from shield.justice.children.services import RuleRefused
from shield.justice.models import (
    ChildDeadlineBreach,
    Diversion,
    DiversionStatus,
    Interview,
    Party,
    ProceedingStep,
    RuleValue,
    StepKind,
)
from shield.justice.tests import children_factories as f
from shield.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def world():
    d = f.desk()
    proceeding = f.open_proceeding(at=d)
    f.assign(proceeding, d.officer)
    witness = f.party(proceeding)
    return d, proceeding, witness


def test_a_session_of_exactly_two_hours_is_allowed_and_one_minute_more_refused(world):
    d, _p, witness = world
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8), minutes=120)
    with pytest.raises(RuleRefused) as refused:
        f.interview(
            witness, actor=d.officer, start=f.at_local(DAY + datetime.timedelta(days=1), 8), minutes=121
        )
    assert refused.value.breaches == (rules.TOO_LONG,)
    assert "59/2024/QH15 Art. 156" in refused.value.message
    assert Interview.objects.count() == 1


def test_the_second_session_of_a_day_is_allowed_and_the_third_refused(world):
    d, _p, witness = world
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8))
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 14))
    with pytest.raises(RuleRefused) as refused:
        f.interview(witness, actor=d.officer, start=f.at_local(DAY, 17))
    assert refused.value.breaches == (rules.TOO_MANY_SESSIONS,)
    assert Interview.objects.count() == 2


def test_the_day_is_the_local_day_in_ho_chi_minh_city(world):
    d, _p, witness = world
    # 23:00 and 23:30 local on the 10th, then 00:10 local on the 11th (17:10 UTC on the 10th).
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 22), minutes=30)
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 23), minutes=30)
    next_day = f.at_local(DAY + datetime.timedelta(days=1), 0, 10)
    assert next_day.astimezone(datetime.UTC).date() == DAY
    f.interview(witness, actor=d.officer, start=next_day, minutes=30)
    with pytest.raises(RuleRefused):
        f.interview(witness, actor=d.officer, start=f.at_local(DAY, 6), minutes=30)


def test_a_cancelled_session_does_not_count(world):
    d, _p, witness = world
    planned = f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8), status="planned")
    services.interview_cancel(actor=d.officer, interview=planned, expected_version=1, reason="Child unwell")
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 10))
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 14))


def test_a_second_confrontation_the_same_day_is_refused(world):
    d, _p, witness = world
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8), kind="confrontation")
    with pytest.raises(RuleRefused) as refused:
        f.interview(witness, actor=d.officer, start=f.at_local(DAY, 14), kind="confrontation")
    assert refused.value.breaches == (rules.TOO_MANY_CONFRONTATIONS,)


def test_a_session_without_the_social_worker_or_representative_is_refused(world):
    d, _p, witness = world
    with pytest.raises(RuleRefused) as refused:
        f.interview(
            witness,
            actor=d.officer,
            start=f.at_local(DAY, 8),
            social_worker_present=False,
            representative_present=False,
        )
    assert refused.value.breaches == (rules.REPRESENTATIVE_MISSING, rules.SOCIAL_WORKER_MISSING)


def test_an_assigned_officer_may_justify_the_third_session_and_the_justification_is_kept(world):
    d, _p, witness = world
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8))
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 11))
    third = f.interview(
        witness,
        actor=d.officer,
        start=f.at_local(DAY, 15),
        justification="The child asked to finish today before travelling home to the province.",
    )
    assert third.rules_exceeded == [rules.TOO_MANY_SESSIONS]
    assert third.justified_by == d.officer
    event = AuditEvent.objects.filter(object_id=str(third.pk)).get()
    assert event.details["rules_exceeded"] == [rules.TOO_MANY_SESSIONS]


def test_an_officer_not_assigned_cannot_justify(world):
    d, _proceeding, witness = world
    colleague = member(Role.JUSTICE_OFFICER, agency=d.agency)
    f.interview(witness, actor=colleague, start=f.at_local(DAY, 8))
    f.interview(witness, actor=colleague, start=f.at_local(DAY, 11))
    with pytest.raises(PermissionRefused):
        f.interview(witness, actor=colleague, start=f.at_local(DAY, 15), justification="x" * 40)


def test_a_short_justification_or_one_with_nothing_to_justify_is_refused(world):
    d, _p, witness = world
    with pytest.raises(ValidationFailed):
        f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8), justification="Needed.")
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8), minutes=130, justification="y" * 40)


def test_accused_children_follow_the_criminal_procedure_code(world):
    d, proceeding, _w = world
    accused = f.party(proceeding, role="accused")
    f.interview(accused, actor=d.officer, start=f.at_local(DAY, 8), minutes=120)
    f.interview(accused, actor=d.officer, start=f.at_local(DAY, 13), minutes=120)
    with pytest.raises(RuleRefused) as refused:
        f.interview(accused, actor=d.officer, start=f.at_local(DAY, 16))
    assert "412(5)" in refused.value.message


def test_a_topic_covered_in_an_earlier_session_is_flagged_as_repeated(world):
    d, _p, witness = world
    f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8), topics=["Recruitment", "Journey"])
    later = f.interview(
        witness,
        actor=d.officer,
        start=f.at_local(DAY + datetime.timedelta(days=2), 8),
        topics=["journey ", "Work"],
    )
    assert later.repeated_topics == ["journey"]


def test_adults_and_other_proceedings_officers_cannot_record(world):
    d, proceeding, _w = world
    adult = f.party(proceeding, is_child=False, birth_date=datetime.date(1990, 1, 1))
    with pytest.raises(ValidationFailed):
        f.interview(adult, actor=d.officer, start=f.at_local(DAY, 8))
    stranger = f.desk().officer
    from shield.core.errors import NotFound

    with pytest.raises(NotFound):
        f.interview(f.party(proceeding), actor=stranger, start=f.at_local(DAY, 8))


# Diversion eligibility --------------------------------------------------------------------------


def _accused_aged(proceeding, years: int, *, days_more: int = 0, offence_on=DAY) -> Party:
    born = offence_on.replace(year=offence_on.year - years) - datetime.timedelta(days=days_more)
    return f.party(proceeding, role="accused", birth_date=born, event_on=offence_on)


@pytest.mark.parametrize(
    ("years", "days_more", "codes", "eligible"),
    [
        (13, 364, ("BLHS-145",), False),  # 13 the day before turning 14
        (14, 0, ("BLHS-145",), True),  # 14 on the offence date: very serious
        (14, 0, ("BLHS-185",), False),  # 14: a serious offence is outside the band
        (14, 0, ("BLHS-123",), False),  # listed exclusion
        (15, 364, ("BLHS-145",), True),  # the last day of 15
        (16, 0, ("BLHS-145",), False),  # 16: very serious is not covered
        (16, 0, ("BLHS-185",), True),  # 16: serious
        (17, 364, ("BLHS-185",), True),  # the last day under 18
        (18, 0, ("BLHS-185",), False),  # 18 on the offence date
    ],
)
def test_diversion_eligibility_at_the_age_boundaries(years, days_more, codes, eligible):
    d = f.desk()
    proceeding = f.open_proceeding(at=d, offence_codes=codes)
    accused = _accused_aged(proceeding, years, days_more=days_more)
    verdict = services.party_eligibility(accused)
    assert verdict.eligible is eligible, verdict.reason
    assert verdict.reason


def test_only_an_accused_child_can_be_diverted(world):
    _d, _proceeding, witness = world
    verdict = services.party_eligibility(witness)
    assert not verdict.eligible
    assert "suspect" in verdict.reason


def test_an_uncertain_age_counts_as_the_youngest_possible(world):
    d, _p, _w = world
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-185",))
    # Born "in 2010": on 10/03/2026 possibly 15 (born 31/12/2010): the 16-18 band does not apply.
    accused = f.party(
        proceeding,
        role="accused",
        birth_date=datetime.date(2010, 1, 1),
        birth_date_precision="year",
        event_on=DAY,
    )
    assert services.party_age_at_event(accused) == 15


def _diverted(d, proceeding):
    accused = _accused_aged(proceeding, 16)
    diversion = services.diversion_decide(
        actor=d.officer,
        party=accused,
        deciding_body="procuracy",
        decided_on=timezone.localdate() - datetime.timedelta(days=10),
        measures=["reprimand", "community_service"],
        supervision_months=3,
        supervisor="Ủy ban nhân dân phường Ba Đình",
    )
    return accused, diversion


def test_a_diversion_decision_sets_reports_due_and_the_party_outcome():
    d = f.desk()
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-185",))
    accused, diversion = _diverted(d, proceeding)
    reports = list(diversion.reports.order_by("due_on"))
    # Every 30 days inside three months, then one at the end.
    assert [r.due_on - diversion.decided_on for r in reports[:-1]] == [
        datetime.timedelta(days=30 * i) for i in range(1, len(reports))
    ]
    assert reports[-1].due_on == diversion.supervision_ends_on
    accused.refresh_from_db()
    assert accused.outcome == "diverted"
    with pytest.raises(InvalidTransition):
        services.diversion_decide(
            actor=d.officer,
            party=accused,
            deciding_body="court",
            decided_on=timezone.localdate(),
            measures=["apology"],
            supervision_months=1,
            supervisor="x",
        )


def test_an_ineligible_child_is_not_diverted_and_the_reason_is_given():
    d = f.desk()
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-150",))
    accused = _accused_aged(proceeding, 16)
    with pytest.raises(ValidationFailed) as refused:
        services.diversion_decide(
            actor=d.officer,
            party=accused,
            deciding_body="procuracy",
            decided_on=timezone.localdate(),
            measures=["reprimand"],
            supervision_months=3,
            supervisor="x",
        )
    assert "BLHS-150" in refused.value.message
    assert not Diversion.objects.exists()


def test_a_completed_diversion_and_a_failed_one_that_returns_to_the_proceeding():
    d = f.desk()
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-185",))
    _accused, diversion = _diverted(d, proceeding)
    report = diversion.reports.order_by("due_on").first()
    services.diversion_report_submit(
        actor=d.officer, report=report, expected_version=1, compliant=True, note="Kept"
    )
    done = services.diversion_end(
        actor=d.officer, diversion=diversion, expected_version=1, completed=True, note=""
    )
    assert done.status == DiversionStatus.COMPLETED

    other, second = _diverted(d, proceeding)
    with pytest.raises(ValidationFailed):
        services.diversion_end(
            actor=d.officer, diversion=second, expected_version=1, completed=False, note=""
        )
    services.diversion_end(
        actor=d.officer, diversion=second, expected_version=1, completed=False, note="Reoffended"
    )
    assert ProceedingStep.objects.filter(proceeding=proceeding, kind=StepKind.RESUMED).count() == 1
    other.refresh_from_db()
    assert other.outcome == ""


def test_a_stale_version_changes_nothing():
    d = f.desk()
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-185",))
    _accused, diversion = _diverted(d, proceeding)
    from shield.core.errors import StaleVersion

    with pytest.raises(StaleVersion):
        services.diversion_end(
            actor=d.officer, diversion=diversion, expected_version=7, completed=True, note=""
        )
    diversion.refresh_from_db()
    assert diversion.status == DiversionStatus.IN_PROGRESS


# Deadlines and breaches -------------------------------------------------------------------------


def test_deadlines_run_from_when_the_child_became_a_party_and_are_marked_unverified(world):
    _d, _p, witness = world
    found = {x.key: x for x in selectors.deadlines_of(witness)}
    assert set(found) == {"notify_guardian", "notify_social_worker", "first_interview"}
    assert found["notify_guardian"].due_at == witness.created_at + datetime.timedelta(hours=24)
    assert found["notify_guardian"].state == "due"
    assert not found["notify_guardian"].verified


def test_a_breach_notifies_the_assigned_officers_once_and_is_resolved_when_done(world):
    d, _p, witness = world
    later = timezone.now() + datetime.timedelta(hours=25)
    made = services.child_deadlines_breached_notify(now=later)
    assert made == 2  # guardian and social worker (the first interview is due at 72 h)
    assert services.child_deadlines_breached_notify(now=later) == 0
    assert Notification.objects.filter(kind=Kind.CHILD_DEADLINE_BREACHED, recipient=d.officer).count() == 2
    assert selectors.breaches_open_for(user=d.officer).count() == 2
    services.deadline_met_record(
        actor=d.officer, party=witness, key="notify_guardian", met_at=timezone.now(), note="Mother called"
    )
    assert selectors.breaches_open_for(user=d.officer).count() == 1
    assert ChildDeadlineBreach.objects.count() == 2


# Administrator's values -------------------------------------------------------------------------


def test_an_administrator_sets_an_unverified_figure_and_it_applies_from_its_date(world):
    d, _p, witness = world
    admin = member(Role.SYSTEM_ADMIN, scope="national")
    with pytest.raises(PermissionRefused):
        services.rule_value_set(
            actor=d.officer,
            rule_set="deadlines",
            key="notify_guardian",
            field="hours",
            value=12,
            effective_from=datetime.date(2026, 1, 1),
            verified=True,
            reason="Decree",
        )
    services.rule_value_set(
        actor=admin,
        rule_set="deadlines",
        key="notify_guardian",
        field="hours",
        value=12,
        effective_from=datetime.date(2026, 1, 1),
        verified=True,
        reason="Checked against Art. 23",
    )
    found = {x.key: x for x in selectors.deadlines_of(witness)}
    assert found["notify_guardian"].due_at == witness.created_at + datetime.timedelta(hours=12)
    assert found["notify_guardian"].verified
    assert found["notify_guardian"].overridden
    assert RuleValue.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="justice.rulevalue").exists()
    with pytest.raises(ValidationFailed):
        services.rule_value_set(
            actor=admin,
            rule_set="deadlines",
            key="notify_guardian",
            field="roles",
            value=1,
            effective_from=datetime.date(2026, 1, 1),
            verified=True,
            reason="x",
        )


def test_an_administrator_value_for_the_session_limit_is_used_by_the_service(world):
    d, _p, witness = world
    admin = member(Role.SYSTEM_ADMIN, scope="national")
    services.rule_value_set(
        actor=admin,
        rule_set="interview_limits",
        key="victim_witness",
        field="minutes_per_session",
        value=90,
        effective_from=datetime.date(2026, 1, 1),
        verified=True,
        reason="Test",
    )
    with pytest.raises(RuleRefused):
        f.interview(witness, actor=d.officer, start=f.at_local(DAY, 8), minutes=91)
