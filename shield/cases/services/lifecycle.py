"""Opening a case, moving it through the stage machine, assigning it, identifying the person,
closing it (with a supervisor's approval) and reopening it."""

import datetime
from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases import closure_checks, selectors, stages
from shield.cases.models import (
    Case,
    CaseReferenceCounter,
    CaseStageChange,
    CaseType,
    ClosureRequest,
    ClosureStatus,
    IdentificationDecision,
    IdentificationStatus,
    RiskLevel,
    Stage,
)
from shield.cases.services import notices
from shield.cases.services.access import (
    case_for_edit,
    case_for_supervision,
    check_version,
    is_case_worker_of,
    required_text,
)
from shield.core import lookups
from shield.core.access import AccessSubject
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, ValidationFailed
from shield.people import selectors as people_selectors
from shield.people.merged import refuse_if_merged
from shield.people.models import Person

REFERENCE_DIGITS = 6


def next_reference(agency: Agency, when: datetime.datetime) -> str:
    """The next reference of `agency` in the (local) year of `when`: "SPC-HA-NOI-2026-000123".

    A counter row per agency and year, incremented under a row lock, so concurrent openings never
    share a number. Call inside a transaction.
    """
    year = timezone.localtime(when).year
    counter, _created = CaseReferenceCounter.objects.select_for_update().get_or_create(
        agency=agency, year=year
    )
    CaseReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    return format_reference(agency.code, year, counter.last_number)


def format_reference(agency_code: str, year: int, number: int) -> str:
    return f"{agency_code.upper()}-{year}-{number:0{REFERENCE_DIGITS}d}"


def move(
    *,
    actor: User,
    case: Case,
    to_stage: str,
    reason: str = "",
    closure_approved: bool = False,
    at: datetime.datetime | None = None,
) -> CaseStageChange:
    """Apply one move of the stage machine to a locked case row: check it (InvalidTransition saying
    why not), write the stage with the next version, append the stage change, audit `transition`."""
    facts = selectors.case_facts(case, closure_approved=closure_approved, reason=reason)
    stages.check(case.stage, to_stage, facts)
    now = at or timezone.now()
    from_stage = case.stage
    case.stage = to_stage
    fields = ["stage"]
    if to_stage == Stage.CLOSED:
        case.closed_at, case.closure_reason = now, reason
        fields += ["closed_at", "closure_reason"]
    elif from_stage == Stage.CLOSED:
        case.closed_at, case.closure_reason = None, ""
        fields += ["closed_at", "closure_reason"]
    save_versioned(case, expected_version=case.version, fields=fields)
    change = CaseStageChange.objects.create(
        case=case, from_stage=from_stage, to_stage=to_stage, changed_by=actor, changed_at=now, reason=reason
    )
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        agency=case.owner_agency,
        obj=case,
        changed_fields=fields,
        reason=reasons.join(f"{from_stage} → {to_stage}", reasons.reference(change)),
    )
    return change


def _check_worker(worker: User, agency: Agency) -> None:
    if not is_case_worker_of(worker, agency):
        raise ValidationFailed(
            field_errors={
                "assigned_worker": [
                    _("The worker must be an active case worker or supervisor of the owning agency.")
                ]
            }
        )


@transaction.atomic
def case_open(
    *,
    actor: User,
    person: Person,
    case_type: str,
    owner_agency: Agency,
    reported_at: datetime.datetime | None = None,
    risk_level: str = RiskLevel.MEDIUM,
    assigned_worker: User | None = None,
) -> Case:
    """Open a case for a person the actor can see, owned by an agency where the actor may work on
    cases (cases.edit reaching it). It starts at `registered`; `reported_at` (default: now) is when
    the report came in, from which the initial-verification deadline runs."""
    if not selectors.may_act_in_agency(user=actor, agency=owner_agency):
        raise PermissionRefused(_("You may not open cases for this agency."))
    try:
        person = people_selectors.person_get_for(user=cast(AccessSubject, actor), person_id=person.pk)
    except NotFound as exc:
        # A person the registry does not show this actor, but whose case they can see (their
        # agency received it by transfer), may get another case here.
        if not Case.objects.filter(selectors.visible_q(actor), person_id=person.pk).exists():
            raise NotFound(_("Person not found.")) from exc
        lookups.reached_otherwise(type(person), person.pk)
    errors: dict[str, list[str]] = {}
    if not owner_agency.is_active:
        errors["owner_agency"] = [_("This agency is no longer active.")]
    return register_case(
        actor=actor,
        person=person,
        case_type=case_type,
        owner_agency=owner_agency,
        reported_at=reported_at,
        risk_level=risk_level,
        assigned_worker=assigned_worker,
        errors=errors,
    )


def register_case(
    *,
    actor: User,
    person: Person,
    case_type: str,
    owner_agency: Agency,
    reported_at: datetime.datetime | None,
    risk_level: str,
    assigned_worker: User | None = None,
    errors: dict[str, list[str]] | None = None,
    reason: str = "",
) -> Case:
    """Validate and create a case at `registered`, with its reference and audit event: the part of
    opening a case that `case_open` and a referral (`referrals.case_open_on_referral`) share once
    each has checked who may open it. `errors` carries the caller's own field errors, so that the
    user sees every problem at once."""
    refuse_if_merged(person)
    now = timezone.now()
    errors = dict(errors or {})
    if case_type not in CaseType.values:
        errors["case_type"] = [_("Choose a type of case.")]
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [_("Choose a risk level.")]
    reported = reported_at or now
    if reported > now:
        errors["reported_at"] = [_("The report cannot come from the future.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    if assigned_worker is not None:
        _check_worker(assigned_worker, owner_agency)
    case = Case.objects.create(
        reference=next_reference(owner_agency, now),
        person=person,
        case_type=case_type,
        owner_agency=owner_agency,
        assigned_worker=assigned_worker,
        risk_level=risk_level,
        stage=Stage.REGISTERED,
        reported_at=reported,
        opened_at=now,
        created_by=actor,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=owner_agency,
        obj=case,
        changed_fields=[
            "reference",
            "person",
            "case_type",
            "owner_agency",
            "assigned_worker",
            "risk_level",
            "stage",
            "reported_at",
            "opened_at",
        ],
        reason=reason,
    )
    return case


@transaction.atomic
def case_transition(
    *, actor: User, case: Case, to_stage: str, expected_version: int | None, reason: str = ""
) -> Case:
    """Move a case to `to_stage` if the stage machine allows it now (InvalidTransition says why not).

    Closing goes through `closure_request` / `closure_approve`, identification outcomes through
    `identification_decide`; both use this machine too. Returns the updated case.
    """
    locked = case_for_edit(actor=actor, case=case, allow_closed=True)
    check_version(locked.version, expected_version)
    move(actor=actor, case=locked, to_stage=to_stage, reason=reason.strip())
    return locked


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str, expected_version: int | None) -> Case:
    """Reopen a closed case; the reason is required and kept in the timeline."""
    locked = case_for_edit(actor=actor, case=case, allow_closed=True)
    check_version(locked.version, expected_version)
    text = required_text(reason, field="reason", message=_("Say why the case is reopened."))
    move(actor=actor, case=locked, to_stage=Stage.REOPENED, reason=text)
    return locked


class _Unchanged:
    """The value of a field `case_update` leaves as it is (None means "unassigned")."""


UNCHANGED = _Unchanged()


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int | None,
    risk_level: str | _Unchanged = UNCHANGED,
    assigned_worker: User | _Unchanged | None = UNCHANGED,
    reason: str = "",
) -> Case:
    """Change the risk level and/or the assigned worker (an active case worker or supervisor of
    the owning agency; None unassigns) in one version step and one audit event naming the
    changed fields."""
    locked = case_for_edit(actor=actor, case=case)
    check_version(locked.version, expected_version)
    changed: list[str] = []
    if not isinstance(risk_level, _Unchanged):
        if risk_level not in RiskLevel.values:
            raise ValidationFailed(field_errors={"risk_level": [_("Choose a risk level.")]})
        locked.risk_level = risk_level
        changed.append("risk_level")
    if not isinstance(assigned_worker, _Unchanged):
        if assigned_worker is not None:
            _check_worker(assigned_worker, locked.owner_agency)
        locked.assigned_worker = assigned_worker
        changed.append("assigned_worker")
    if not changed:
        raise ValidationFailed(_("Send the risk level or the assigned worker to change."))
    save_versioned(locked, expected_version=expected_version, fields=changed)
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=locked,
        changed_fields=changed,
        reason=reasons.keep(reason),
    )
    return locked


def case_assign(*, actor: User, case: Case, worker: User | None, expected_version: int | None) -> Case:
    """Assign the case to an active case worker (or supervisor) of the owning agency; None unassigns."""
    return case_update(actor=actor, case=case, expected_version=expected_version, assigned_worker=worker)


def case_risk_set(
    *, actor: User, case: Case, risk_level: str, expected_version: int | None, reason: str = ""
) -> Case:
    """Change the case's risk level."""
    return case_update(
        actor=actor, case=case, expected_version=expected_version, risk_level=risk_level, reason=reason
    )


# Which stage an identification decision leads to, from a case waiting for identification.
_DECISION_STAGE = {
    IdentificationStatus.POSSIBLE: Stage.UNDERGOING_IDENTIFICATION,
    IdentificationStatus.IDENTIFIED: Stage.IDENTIFIED_VICTIM,
    IdentificationStatus.NOT_A_VICTIM: Stage.NOT_A_VICTIM,
}


@transaction.atomic
def identification_decide(
    *,
    actor: User,
    case: Case,
    status: str,
    body_name: str,
    body_type: str,
    decided_on: datetime.date,
    basis: str,
    documents: Iterable[str] = (),
) -> IdentificationDecision:
    """Record who decided whether the person is a trafficking victim, when, and on what basis.

    On a case at `registered` or `reopened` the decision starts identification; on a case
    undergoing identification an `identified` or `not_a_victim` decision moves it to that stage;
    each step through the stage machine, so the timeline shows it. On a case further along the
    decision is recorded (it becomes the status in force) and the stage stays.
    """
    locked = case_for_edit(actor=actor, case=case)
    errors: dict[str, list[str]] = {}
    if status not in IdentificationStatus.values:
        errors["status"] = [_("Choose the outcome of the decision.")]
    if not (body_name or "").strip():
        errors["body_name"] = [_("Name the body that decided.")]
    if body_type not in AgencyKind.values:
        errors["body_type"] = [_("Choose the type of body that decided.")]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("The decision cannot be dated in the future.")]
    if not (basis or "").strip():
        errors["basis"] = [_("Give the basis of the decision.")]
    document_list = [d.strip() for d in documents if d and d.strip()]
    if errors:
        raise ValidationFailed(field_errors=errors)
    decision = IdentificationDecision.objects.create(
        case=locked,
        status=status,
        body_name=body_name.strip(),
        body_type=body_type,
        decided_on=decided_on,
        basis=basis.strip(),
        documents=document_list,
        recorded_by=actor,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=decision,
        changed_fields=["case", "status", "body_name", "body_type", "decided_on", "basis", "documents"],
    )
    target = _DECISION_STAGE[IdentificationStatus(status)]
    reason = str(IdentificationStatus(status).label)
    if locked.stage in (Stage.REGISTERED, Stage.REOPENED):
        move(actor=actor, case=locked, to_stage=Stage.UNDERGOING_IDENTIFICATION, reason=reason)
    if locked.stage == Stage.UNDERGOING_IDENTIFICATION and target != Stage.UNDERGOING_IDENTIFICATION:
        move(actor=actor, case=locked, to_stage=target, reason=reason)
    decision.case = locked
    return decision


# --- Closure -------------------------------------------------------------------------------------


@transaction.atomic
def closure_request(*, actor: User, case: Case, reason: str) -> ClosureRequest:
    """Ask a supervisor to close the case; one request may wait at a time."""
    locked = case_for_edit(actor=actor, case=case)
    text = required_text(reason, field="reason", message=_("Say why the case should be closed."))
    _refuse_if_blocked(locked)
    if ClosureRequest.objects.filter(case=locked, status=ClosureStatus.REQUESTED).exists():
        raise ValidationFailed(_("A request to close this case is already waiting for a supervisor."))
    request = ClosureRequest.objects.create(case=locked, requested_by=actor, reason=text)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=request,
        changed_fields=["case", "reason", "status"],
        reason=reasons.reference(request),
    )
    notices.closure_submitted(actor=actor, request=request, case=locked)
    return request


def _refuse_if_blocked(case: Case) -> None:
    """Work other apps keep open on the case (their registered closure checks) blocks closing."""
    reasons = closure_checks.blocking_reasons(case)
    if reasons:
        raise ValidationFailed(" ".join(reasons))


def _pending_closure(request: ClosureRequest, actor: User) -> tuple[ClosureRequest, Case]:
    case = case_for_supervision(actor=actor, case=request.case)
    locked = ClosureRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ClosureStatus.REQUESTED:
        raise InvalidTransition(_("This closure request has already been decided."))
    if locked.requested_by_id == actor.pk:
        raise PermissionRefused(
            _("A closure is approved or returned by someone other than the person who asked.")
        )
    return locked, case


@transaction.atomic
def closure_approve(*, actor: User, request: ClosureRequest, note: str = "") -> Case:
    """A supervisor (not the requester) approves: the case closes through the stage machine, with
    the request's reason as the closure reason. Returns the closed case."""
    locked, case = _pending_closure(request, actor)
    _refuse_if_blocked(case)
    now = timezone.now()
    move(actor=actor, case=case, to_stage=Stage.CLOSED, reason=locked.reason, closure_approved=True, at=now)
    locked.status, locked.decided_by, locked.decided_at = ClosureStatus.APPROVED, actor, now
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=locked,
        changed_fields=["status", "decided_by", "decided_at", "decision_note"],
        reason=reasons.reference(locked, "decision_note"),
    )
    notices.closure_answered(actor=actor, request=locked, case=case)
    return case


@transaction.atomic
def closure_return(*, actor: User, request: ClosureRequest, note: str) -> ClosureRequest:
    """A supervisor (not the requester) returns the request, saying what is missing; the case stays open."""
    locked, case = _pending_closure(request, actor)
    text = required_text(note, field="note", message=_("Say why the case is not closed yet."))
    locked.status, locked.decided_by, locked.decided_at = ClosureStatus.RETURNED, actor, timezone.now()
    locked.decision_note = text
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=case.owner_agency,
        obj=locked,
        changed_fields=["status", "decided_by", "decided_at", "decision_note"],
        reason=reasons.reference(locked, "decision_note"),
    )
    notices.closure_answered(actor=actor, request=locked, case=case)
    return locked
