"""The writes of the children's rules: interviews (refused beyond the limits unless justified),
diversion and its compliance reports, deadlines met, breaches notified once, and the values an
administrator sets over the rule files. Each is one transaction with its audit event."""

import datetime
import uuid
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts import policy
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, StaleVersion, ValidationFailed
from shield.justice.children import rules
from shield.justice.models import (
    ChildDeadlineBreach,
    ChildDeadlineMet,
    DecidingBody,
    Diversion,
    DiversionReport,
    DiversionStatus,
    Interview,
    InterviewKind,
    InterviewStatus,
    Party,
    PartyOutcome,
    PlaceType,
    Proceeding,
    ProceedingStatus,
    ProceedingStep,
    RuleValue,
    StepKind,
)
from shield.justice.proceedings import access
from shield.notifications.models import Kind
from shield.notifications.services import notify

MAX_TOPICS = 30
MAX_TOPIC_LENGTH = 120
MAX_JUSTIFICATION = 2000
MIN_JUSTIFICATION = 20
MAX_NOTE = 2000
MAX_SUPERVISION_MONTHS = 36
# Dates outside these years are typing mistakes (and would overflow the time-zone arithmetic).
MIN_YEAR = 2000
MAX_YEAR = 2100
# Deadlines a user records as done by hand; the others are met by the records themselves.
RECORDED_DEADLINES = ("notify_guardian", "notify_social_worker")

JUSTIFY = "justice.justify_exception"


class RuleRefused(ValidationFailed):
    """The session breaks a rule of the children's law; `breaches` holds the codes."""

    def __init__(self, message: str, *, breaches: Sequence[str]) -> None:
        super().__init__(message)
        self.breaches = tuple(breaches)


def justify_exception(
    *,
    actor: User,
    proceeding: Proceeding,
    breaches: Sequence[str],
    justification: str,
    refusal: str,
    nothing_to_justify: str,
    field: str = "justification",
) -> str:
    """The one path to go beyond a child's limits (interviews, custody and detention): with
    `breaches`, refuse (`RuleRefused` with `refusal`) unless a justification of at least
    MIN_JUSTIFICATION characters is given by an officer assigned to the proceeding holding
    `justice.justify_exception`; without breaches, a justification is refused as pointless.
    Returns the justification, stripped."""
    justification = justification.strip()
    if breaches:
        if not justification:
            raise RuleRefused(refusal, breaches=breaches)
        if not policy.has_permission(actor, JUSTIFY) or not access.is_assigned(actor, proceeding):
            raise PermissionRefused(
                _("Only an officer assigned to this proceeding may justify going beyond the child's limits.")
            )
        if len(justification) < MIN_JUSTIFICATION:
            raise ValidationFailed(
                field_errors={
                    field: [
                        _("Explain why it is indispensable (at least %(n)d characters).")
                        % {"n": MIN_JUSTIFICATION}
                    ]
                }
            )
        if len(justification) > MAX_JUSTIFICATION:
            raise ValidationFailed(
                field_errors={field: [_("At most %(n)d characters.") % {"n": MAX_JUSTIFICATION}]}
            )
    elif justification:
        raise ValidationFailed(field_errors={field: [nothing_to_justify]})
    return justification


def _check_version(current: int, expected: int | None) -> None:
    if expected is None or expected != current:
        raise StaleVersion()


def _editable(actor: User, proceeding: Proceeding) -> None:
    if not access.can_edit(user=actor, proceeding=proceeding):
        raise NotFound()
    if proceeding.status == ProceedingStatus.CLOSED:
        raise InvalidTransition(_("This proceeding is closed."))


def _locked_party(party: Party) -> Party:
    return Party.objects.select_for_update().select_related("proceeding", "person").get(pk=party.pk)


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of `day` and of the next, in the project's time zone (Asia/Ho_Chi_Minh)."""
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def _clean_topics(topics: Sequence[str]) -> list[str]:
    cleaned = [" ".join(str(t).split()) for t in topics if str(t).strip()]
    if len(cleaned) > MAX_TOPICS:
        raise ValidationFailed(field_errors={"topics": [_("At most %(n)d topics.") % {"n": MAX_TOPICS}]})
    if any(len(t) > MAX_TOPIC_LENGTH for t in cleaned):
        raise ValidationFailed(
            field_errors={"topics": [_("Each topic is at most %(n)d characters.") % {"n": MAX_TOPIC_LENGTH}]}
        )
    return list(dict.fromkeys(cleaned))


def interview_check(
    *,
    party: Party,
    kind: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    representative_present: bool,
    social_worker_present: bool,
    child_rules: rules.ChildRules | None = None,
    exclude_id: uuid.UUID | None = None,
) -> rules.LimitCheck:
    """What the rules in force that (local) day refuse in this session."""
    day = timezone.localdate(started_at)
    start, end = local_day_bounds(day)
    same_day = Interview.objects.filter(party=party, started_at__gte=start, started_at__lt=end).exclude(
        status=InterviewStatus.CANCELLED
    )
    if exclude_id is not None:
        same_day = same_day.exclude(pk=exclude_id)
    kinds = list(same_day.values_list("kind", flat=True))
    facts = rules.SessionFacts(
        kind=kind,
        minutes=int((ended_at - started_at).total_seconds() // 60)
        + (1 if (ended_at - started_at).total_seconds() % 60 else 0),
        sessions_that_day=len(kinds),
        confrontations_that_day=sum(1 for k in kinds if k == InterviewKind.CONFRONTATION),
        representative_present=representative_present,
        social_worker_present=social_worker_present,
    )
    return rules.interview_check(
        child_rules or rules.ChildRules.current(), role=party.role, day=day, facts=facts
    )


@transaction.atomic
def interview_record(
    *,
    actor: User,
    party: Party,
    kind: str,
    place_type: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    representative_present: bool,
    social_worker_present: bool,
    child_friendly_room: bool = False,
    recorded: bool = False,
    recording_reference: str = "",
    others_present: str = "",
    topics: Sequence[str] = (),
    status: str = InterviewStatus.HELD,
    justification: str = "",
) -> Interview:
    """Record a session with a child party. Refuses (RuleRefused, nothing written) a session the
    law forbids — a third the same day, over the time limit, a second confrontation, or without the
    representative or a social worker — unless an assigned officer holding
    `justice.justify_exception` gives a justification, kept and shown with the interview."""
    party = _locked_party(party)
    proceeding = party.proceeding
    _editable(actor, proceeding)
    if not party.is_child:
        raise ValidationFailed(_("The interview rules apply to child parties only."))
    errors: dict[str, list[str]] = {}
    if kind not in InterviewKind.values:
        errors["kind"] = [_("Choose a kind of session.")]
    elif kind == InterviewKind.INTERROGATION and party.role not in rules.ACCUSED_ROLES:
        errors["kind"] = [_("Only a suspect, accused or defendant is interrogated.")]
    if place_type not in PlaceType.values:
        errors["place_type"] = [_("Choose a place.")]
    if status not in (InterviewStatus.PLANNED, InterviewStatus.HELD):
        errors["status"] = [_("A session is planned or held.")]
    if not (MIN_YEAR <= started_at.year <= MAX_YEAR and MIN_YEAR <= ended_at.year <= MAX_YEAR):
        errors["started_at"] = [_("Give a date between %(a)d and %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR}]
    elif ended_at <= started_at:
        errors["ended_at"] = [_("The session ends after it starts.")]
    if recorded and not recording_reference.strip():
        errors["recording_reference"] = [_("Say where the recording is kept.")]
    if len(recording_reference) > 200 or len(others_present) > 300:
        errors["others_present"] = [_("Too long.")]
    if len(justification) > MAX_JUSTIFICATION:
        errors["justification"] = [_("At most %(n)d characters.") % {"n": MAX_JUSTIFICATION}]
    if errors:
        raise ValidationFailed(field_errors=errors)
    cleaned_topics = _clean_topics(topics)
    child_rules = rules.ChildRules.current()
    check = interview_check(
        party=party,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        representative_present=representative_present,
        social_worker_present=social_worker_present,
        child_rules=child_rules,
    )
    justification = justify_exception(
        actor=actor,
        proceeding=proceeding,
        breaches=check.breaches,
        justification=justification,
        refusal=_("Refused under %(law)s: %(rules)s.")
        % {"law": check.law, "rules": "; ".join(rules.breach_label(b) for b in check.breaches)},
        nothing_to_justify=_("Nothing needs justifying in this session."),
    )
    earlier = Interview.objects.filter(party=party, started_at__lt=started_at).exclude(
        status=InterviewStatus.CANCELLED
    )
    covered = [t for row in earlier.values_list("topics", flat=True) for t in (row or [])]
    interview = Interview.objects.create(
        proceeding=proceeding,
        party=party,
        kind=kind,
        status=status,
        place_type=place_type,
        child_friendly_room=child_friendly_room,
        recorded=recorded,
        recording_reference=recording_reference.strip() if recorded else "",
        representative_present=representative_present,
        social_worker_present=social_worker_present,
        others_present=others_present.strip(),
        started_at=started_at,
        ended_at=ended_at,
        topics=cleaned_topics,
        repeated_topics=rules.repeated(cleaned_topics, covered),
        rules_exceeded=list(check.breaches),
        justification=justification,
        justified_by=actor if check.breaches else None,
        rule_law=check.law[:120],
        recorded_by=actor,
    )
    if status == InterviewStatus.HELD:
        _resolve_breach(party, "first_interview", started_at)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=proceeding.holding_agency,
        obj=interview,
        details={"rules_exceeded": list(check.breaches), "repeated_topics": len(interview.repeated_topics)},
    )
    return interview


@transaction.atomic
def interview_cancel(
    *, actor: User, interview: Interview, expected_version: int | None, reason: str
) -> Interview:
    """Cancel a planned session (a held one stays on record)."""
    current = Interview.objects.select_for_update().select_related("proceeding").get(pk=interview.pk)
    _editable(actor, current.proceeding)
    _check_version(current.version, expected_version)
    if current.status != InterviewStatus.PLANNED:
        raise InvalidTransition(_("Only a planned session can be cancelled."))
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed(field_errors={"reason": [_("Give a reason (at most 500 characters).")]})
    Interview.objects.filter(pk=current.pk).update(
        status=InterviewStatus.CANCELLED,
        cancel_reason=reason,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    current.refresh_from_db()
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=current.proceeding.holding_agency,
        obj=current,
        changed_fields=["status", "cancel_reason"],
    )
    return current


@transaction.atomic
def interview_mark_held(*, actor: User, interview: Interview, expected_version: int | None) -> Interview:
    """A planned session took place as planned."""
    current = Interview.objects.select_for_update().select_related("proceeding", "party").get(pk=interview.pk)
    _editable(actor, current.proceeding)
    _check_version(current.version, expected_version)
    if current.status != InterviewStatus.PLANNED:
        raise InvalidTransition(_("Only a planned session can be marked as held."))
    Interview.objects.filter(pk=current.pk).update(
        status=InterviewStatus.HELD, version=F("version") + 1, updated_at=timezone.now()
    )
    current.refresh_from_db()
    _resolve_breach(current.party, "first_interview", current.started_at)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=current.proceeding.holding_agency,
        obj=current,
        changed_fields=["status"],
    )
    return current


# Diversion --------------------------------------------------------------------------------------


def party_age_at_event(party: Party) -> int | None:
    person = party.person
    return rules.youngest_age_on(
        on=party.event_on,
        precision=person.birth_date_precision,
        birth_date=person.birth_date,
        estimated_age=person.estimated_age,
        age_estimated_on=person.age_estimated_on,
    )


def party_eligibility(party: Party, child_rules: rules.ChildRules | None = None) -> rules.Eligibility:
    codes = list(party.proceeding.offences.order_by("code").values_list("code", flat=True))
    return rules.eligibility(
        child_rules or rules.ChildRules.current(),
        role=party.role,
        age=party_age_at_event(party),
        offence_codes=codes,
        on=party.event_on,
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    import calendar

    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def diversion_decide(
    *,
    actor: User,
    party: Party,
    deciding_body: str,
    decided_on: datetime.date,
    measures: Sequence[str],
    supervision_months: int,
    supervisor: str,
) -> Diversion:
    """Record the deciding body's decision to divert a child: only an eligible child (the reason
    is kept), with known measures; the compliance reports fall due every interval of the rules."""
    party = _locked_party(party)
    proceeding = party.proceeding
    _editable(actor, proceeding)
    child_rules = rules.ChildRules.current()
    errors: dict[str, list[str]] = {}
    if deciding_body not in DecidingBody.values:
        errors["deciding_body"] = [_("Choose the deciding body.")]
    known = {m.code for m in rules.measures(child_rules, decided_on)}
    chosen = list(dict.fromkeys(measures))
    if not chosen or any(m not in known for m in chosen):
        errors["measures"] = [_("Choose one or more of the measures the law lists.")]
    if not 1 <= supervision_months <= MAX_SUPERVISION_MONTHS:
        errors["supervision_months"] = [_("From 1 to %(n)d months.") % {"n": MAX_SUPERVISION_MONTHS}]
    supervisor = supervisor.strip()
    if not supervisor or len(supervisor) > 200:
        errors["supervisor"] = [_("Name who supervises (at most 200 characters).")]
    if decided_on.year < MIN_YEAR:
        errors["decided_on"] = [_("Give a date between %(a)d and %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR}]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("The decision date cannot be in the future.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    if not party.is_child:
        raise ValidationFailed(_("Diversion is for children only."))
    verdict = party_eligibility(party, child_rules)
    if not verdict.eligible:
        raise ValidationFailed(_("Not eligible for diversion: %(reason)s") % {"reason": verdict.reason})
    if Diversion.objects.filter(party=party, status=DiversionStatus.IN_PROGRESS).exists():
        raise InvalidTransition(_("This child already has a diversion in progress."))
    ends = add_months(decided_on, supervision_months)
    diversion = Diversion.objects.create(
        proceeding=proceeding,
        party=party,
        deciding_body=deciding_body,
        decided_on=decided_on,
        measures=chosen,
        supervision_months=supervision_months,
        supervision_ends_on=ends,
        supervisor=supervisor,
        eligibility_reason=verdict.reason[:500],
        decided_by=actor,
    )
    interval, _verified = rules.report_interval_days(child_rules, decided_on)
    due = decided_on + datetime.timedelta(days=interval)
    reports = []
    while due < ends:
        reports.append(DiversionReport(diversion=diversion, due_on=due))
        due += datetime.timedelta(days=interval)
    reports.append(DiversionReport(diversion=diversion, due_on=ends))
    DiversionReport.objects.bulk_create(reports)
    Party.objects.filter(pk=party.pk).update(
        outcome=PartyOutcome.DIVERTED,
        outcome_on=decided_on,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    _resolve_breach(party, "diversion_decision", timezone.now())
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=proceeding.holding_agency,
        obj=diversion,
        details={"measures": chosen, "reports": len(reports)},
    )
    return diversion


def _locked_diversion(diversion: Diversion) -> Diversion:
    return Diversion.objects.select_for_update().select_related("proceeding", "party").get(pk=diversion.pk)


@transaction.atomic
def diversion_report_submit(
    *,
    actor: User,
    report: DiversionReport,
    expected_version: int | None,
    compliant: bool,
    note: str,
    submitted_on: datetime.date | None = None,
) -> DiversionReport:
    current = (
        DiversionReport.objects.select_for_update().select_related("diversion__proceeding").get(pk=report.pk)
    )
    diversion = current.diversion
    _editable(actor, diversion.proceeding)
    _check_version(current.version, expected_version)
    if current.submitted_on is not None:
        raise InvalidTransition(_("This report was already submitted."))
    if diversion.status != DiversionStatus.IN_PROGRESS:
        raise InvalidTransition(_("This diversion has ended."))
    if len(note) > MAX_NOTE:
        raise ValidationFailed(field_errors={"note": [_("At most %(n)d characters.") % {"n": MAX_NOTE}]})
    day = submitted_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationFailed(field_errors={"submitted_on": [_("The date cannot be in the future.")]})
    current.submitted_on = day
    current.compliant = compliant
    current.note = note.strip()
    current.submitted_by = actor
    from shield.core.concurrency import save_versioned

    save_versioned(
        current,
        expected_version=expected_version,
        fields=["submitted_on", "compliant", "note", "submitted_by"],
    )
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=diversion.proceeding.holding_agency,
        obj=current,
        changed_fields=["submitted_on", "compliant", "note"],
    )
    return current


@transaction.atomic
def diversion_end(
    *, actor: User, diversion: Diversion, expected_version: int | None, completed: bool, note: str
) -> Diversion:
    """Completed: the measures were kept. Failed: the child returns to the proceeding (a step
    "Resumed" is recorded and the party's outcome cleared)."""
    current = _locked_diversion(diversion)
    proceeding = current.proceeding
    _editable(actor, proceeding)
    _check_version(current.version, expected_version)
    if current.status != DiversionStatus.IN_PROGRESS:
        raise InvalidTransition(_("This diversion has already ended."))
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(field_errors={"note": [_("At most %(n)d characters.") % {"n": MAX_NOTE}]})
    if not completed and not note:
        raise ValidationFailed(field_errors={"note": [_("Say why the diversion failed.")]})
    today = timezone.localdate()
    current.status = DiversionStatus.COMPLETED if completed else DiversionStatus.FAILED
    current.ended_on = today
    current.end_note = note
    from shield.core.concurrency import save_versioned

    save_versioned(current, expected_version=expected_version, fields=["status", "ended_on", "end_note"])
    if not completed:
        ProceedingStep.objects.create(
            proceeding=proceeding,
            kind=StepKind.RESUMED,
            occurred_on=today,
            agency=proceeding.holding_agency,
            recorded_by=actor,
            note=_("Diversion failed: the child returns to the proceeding."),
        )
        Party.objects.filter(pk=current.party_id).update(
            outcome="", outcome_on=None, version=F("version") + 1, updated_at=timezone.now()
        )
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        agency=proceeding.holding_agency,
        obj=current,
        changed_fields=["status", "ended_on", "end_note"],
        details={"to": current.status},
    )
    return current


# Deadlines --------------------------------------------------------------------------------------


def _resolve_breach(party: Party, key: str, when: datetime.datetime) -> None:
    ChildDeadlineBreach.objects.filter(party=party, key=key, resolved_at__isnull=True).update(
        resolved_at=when
    )


@transaction.atomic
def deadline_met_record(
    *, actor: User, party: Party, key: str, met_at: datetime.datetime, note: str = ""
) -> ChildDeadlineMet:
    """The guardian or a social worker was told, at `met_at` (once per party and deadline)."""
    party = _locked_party(party)
    _editable(actor, party.proceeding)
    if key not in RECORDED_DEADLINES:
        raise ValidationFailed(field_errors={"key": [_("This deadline is met by the records themselves.")]})
    if met_at.year < MIN_YEAR or met_at > timezone.now():
        raise ValidationFailed(field_errors={"met_at": [_("The time cannot be in the future.")]})
    if len(note) > 500:
        raise ValidationFailed(field_errors={"note": [_("At most %(n)d characters.") % {"n": 500}]})
    if ChildDeadlineMet.objects.filter(party=party, key=key).exists():
        raise InvalidTransition(_("This was already recorded."))
    met = ChildDeadlineMet.objects.create(
        party=party, key=key, met_at=met_at, note=note.strip(), recorded_by=actor
    )
    _resolve_breach(party, key, met_at)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=party.proceeding.holding_agency,
        obj=met,
        details={"key": key},
    )
    return met


def child_deadlines_breached_notify(*, now: datetime.datetime | None = None) -> int:
    """Find the child parties' deadlines breached and tell the officers assigned, once per party
    and deadline (a `ChildDeadlineBreach` row, unique, is the memory). Returns notifications made."""
    from shield.justice.children import selectors

    now = now or timezone.now()
    child_rules = rules.ChildRules.current()
    created = 0
    parties = (
        Party.objects.filter(is_child=True, proceeding__status=ProceedingStatus.OPEN)
        .select_related("proceeding")
        .order_by("pk")
    )
    for party in parties.iterator(chunk_size=500):
        for deadline in selectors.deadlines_of(party, child_rules=child_rules):
            if deadline.met_at is not None or deadline.due_at >= now:
                continue
            try:
                with transaction.atomic():
                    breach = ChildDeadlineBreach.objects.create(
                        party=party, key=deadline.key, due_at=deadline.due_at
                    )
                    officers = [
                        a.officer
                        for a in party.proceeding.assignments.filter(ended_at__isnull=True).select_related(
                            "officer"
                        )
                    ]
                    made = notify(
                        kind=Kind.CHILD_DEADLINE_BREACHED,
                        recipients=officers,
                        target=breach,
                        url=reverse("justice:child_party", kwargs={"party_id": party.pk}),
                        params={
                            "reference": party.proceeding.reference,
                            "due": timezone.localdate(deadline.due_at).isoformat(),
                        },
                    )
                    created += len(made)
            except IntegrityError:
                continue  # noted by a sweep running at the same time
    return created


# Rule values ------------------------------------------------------------------------------------


@transaction.atomic
def rule_value_set(
    *,
    actor: User,
    rule_set: str,
    key: str,
    field: str,
    value: int,
    effective_from: datetime.date,
    verified: bool,
    reason: str,
) -> RuleValue:
    """An administrator sets one figure of the children's rules from a date (superseding, never
    editing, earlier values)."""
    if not policy.has_permission(actor, "accounts.manage_system"):
        raise PermissionRefused()
    name = rule_set.removeprefix(rules.PREFIX)
    errors: dict[str, list[str]] = {}
    if field not in rules.SETTABLE.get(name, ()):
        errors["field"] = [_("This figure cannot be set.")]
    else:
        child_rules = rules.ChildRules.current()
        if not any(r.get("key") == key for r in child_rules.sets[name]):
            errors["key"] = [_("No such rule.")]
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100000:
        errors["value"] = [_("A whole number from 0 to 100000.")]
    reason = reason.strip()
    if not reason or len(reason) > 500:
        errors["reason"] = [_("Give the reason and source (at most 500 characters).")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    row = RuleValue.objects.create(
        rule_set=rules.PREFIX + name,
        key=key,
        field=field,
        value=value,
        effective_from=effective_from,
        verified=verified,
        set_by=actor,
        reason=reason,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=row,
        details={"rule_set": row.rule_set, "key": key, "field": field, "verified": verified},
    )
    return row
