"""Read-only helpers for the case pages: how a case, its list rows and its history are shown.

Reads here apply the same access as `shield.cases.selectors` (a case the user cannot see raises
NotFound) and never write. They complement the selectors with what only the pages need: batched
deadline flags for a page of cases, the people a case may be assigned to, a case's audit history.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.audit import reasons
from shield.audit.models import AuditAction, AuditEvent
from shield.cases import deadlines, selectors
from shield.cases.models import (
    Assessment,
    CarePlan,
    CarePlanAction,
    CarePlanGoal,
    Case,
    CaseAccess,
    CaseNote,
    CaseTransfer,
    ClosureRequest,
    Consent,
    IdentificationDecision,
    Stage,
    TraffickingDetails,
    TraffickingPlace,
)
from shield.core.access import AccessSubject
from shield.core.errors import NotFound
from shield.people.selectors import display_name_for

# Bootstrap badge classes, so every page colours stages and risk levels the same way.
STAGE_BADGES: dict[str, str] = {
    Stage.REGISTERED: "text-bg-secondary",
    Stage.UNDERGOING_IDENTIFICATION: "text-bg-warning",
    Stage.IDENTIFIED_VICTIM: "text-bg-info",
    Stage.NOT_A_VICTIM: "text-bg-light border",
    Stage.ASSESSMENT: "text-bg-primary",
    Stage.CARE_PLAN: "text-bg-primary",
    Stage.SERVICES: "text-bg-success",
    Stage.REINTEGRATION: "text-bg-success",
    Stage.CLOSED: "text-bg-dark",
    Stage.REOPENED: "text-bg-warning",
}
RISK_BADGES: dict[str, str] = {
    "low": "text-bg-light border",
    "medium": "text-bg-info",
    "high": "text-bg-warning",
    "critical": "text-bg-danger",
}

CASE_WORK_ROLES = tuple(role for role, perms in ROLE_PERMISSIONS.items() if selectors.EDIT in perms)


def _ensure_visible(user: selectors.Viewer, case: Case) -> None:
    if not selectors.can_view(user=user, case=case):
        raise NotFound()


# --- Deadlines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The initial-verification deadline of a case as shown: when, and whether it is missed."""

    deadline: datetime.datetime | None
    done: bool
    overdue: bool


def _verification(case: Case, *, decided: bool, now: datetime.datetime) -> Verification:
    deadline = deadlines.verification_deadline(case)
    done = case.stage != Stage.REGISTERED or decided
    return Verification(deadline=deadline, done=done, overdue=bool(deadline and not done and now > deadline))


def verification_for(case: Case, now: datetime.datetime | None = None) -> Verification:
    """The deadline of one case (for its page): `deadlines.is_verification_overdue`, shown."""
    decided = case.stage == Stage.REGISTERED and IdentificationDecision.objects.filter(case=case).exists()
    return _verification(case, decided=decided, now=now or timezone.now())


# --- The case list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """One case as a user may see it in a list."""

    case: Case
    name: str
    name_hidden: bool
    verification: Verification
    has_overdue_actions: bool = False

    @property
    def stage_badge(self) -> str:
        return STAGE_BADGES.get(self.case.stage, "text-bg-secondary")

    @property
    def risk_badge(self) -> str:
        return RISK_BADGES.get(self.case.risk_level, "text-bg-secondary")


def case_rows(*, user: selectors.Viewer, cases: Sequence[Case]) -> list[CaseRow]:
    """Rows for a page of cases from `selectors.case_list_for`: names as the user may see them,
    and the verification deadline, with one query for the whole page (not one per case)."""
    waiting = [c.pk for c in cases if c.stage == Stage.REGISTERED]
    decided: set[Any] = set()
    if waiting:
        decided = set(
            IdentificationDecision.objects.filter(case_id__in=waiting).values_list("case_id", flat=True)
        )
    overdue = selectors.overdue_case_ids(cases=cases)
    now = timezone.now()
    rows = []
    for case in cases:
        name = display_name_for(user=cast(AccessSubject, user), person=case.person)
        rows.append(
            CaseRow(
                case=case,
                name=name,
                name_hidden=name != case.person.full_name,
                verification=_verification(case, decided=case.pk in decided, now=now),
                has_overdue_actions=case.pk in overdue,
            )
        )
    return rows


def agencies_for_filter(*, user: selectors.Viewer) -> QuerySet[Agency]:
    """Agencies whose cases the user may reach by scope: the choices of the list's agency filter."""
    if not user.is_authenticated:
        return Agency.objects.none()
    assert isinstance(user, User)
    reach = user.scope_q(selectors.VIEW, agency_path="pk", province_path="province")
    agencies = Agency.objects.order_by("name_vi")
    if not reach.children:  # national scope (the empty Q); `Q() | other` would be just `other`
        return agencies
    return agencies.filter(reach | Q(pk__in=selectors.agency_ids_with(user, selectors.VIEW)))


# --- Choices for the forms -----------------------------------------------------------------------


def case_workers_of(agencies: Iterable[Agency]) -> QuerySet[User]:
    """Active users who work on cases (case workers, supervisors) in these agencies: whom a case of
    theirs may be assigned to, or an action made the responsibility of."""
    ids = [a.pk for a in agencies]
    return (
        User.objects.filter(
            is_active=True,
            memberships__agency_id__in=ids,
            memberships__agency__is_active=True,
            memberships__is_active=True,
            memberships__role__in=CASE_WORK_ROLES,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def agencies_where_user_opens_cases(*, user: User) -> list[Agency]:
    """Agencies where the user holds cases.edit: where a case they open may be owned."""
    return [m.agency for m in user.active_memberships() if selectors.EDIT in ROLE_PERMISSIONS.get(m.role, ())]


def active_agencies(*, exclude: Agency | None = None) -> QuerySet[Agency]:
    """Active agencies (a transfer's destination, a consent's named agency, a responsible agency)."""
    agencies = Agency.objects.filter(is_active=True).select_related("province").order_by("name_vi")
    return agencies.exclude(pk=exclude.pk) if exclude is not None else agencies


# --- One case's records --------------------------------------------------------------------------


def trafficking_details_for(*, user: selectors.Viewer, case: Case) -> TraffickingDetails | None:
    _ensure_visible(user, case)
    return TraffickingDetails.objects.filter(case=case).first()


def note_get_for(*, user: selectors.Viewer, case: Case, note_id: uuid.UUID | str) -> CaseNote:
    note = selectors.case_notes_for(user=user, case=case).filter(pk=note_id).first()
    if note is None:
        raise NotFound()
    return note


def place_get_for(*, user: selectors.Viewer, case: Case, place_id: uuid.UUID) -> TraffickingPlace:
    place = selectors.trafficking_places_for(user=user, case=case).filter(pk=place_id).first()
    if place is None:
        raise NotFound()
    place.case = case
    return place


def plan_get_for(*, user: selectors.Viewer, case: Case, plan_id: uuid.UUID) -> CarePlan:
    plan = selectors.care_plans_for(user=user, case=case).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    plan.case = case
    return plan


def action_get_for(*, user: selectors.Viewer, case: Case, action_id: uuid.UUID) -> CarePlanAction:
    _ensure_visible(user, case)
    action = (
        CarePlanAction.objects.filter(goal__plan__case=case, pk=action_id)
        .select_related("goal__plan")
        .first()
    )
    if action is None:
        raise NotFound()
    action.goal.plan.case = case
    return action


def consent_get_for(*, user: selectors.Viewer, case: Case, consent_id: uuid.UUID) -> Consent:
    consent = selectors.consents_for(user=user, case=case).filter(pk=consent_id).first()
    if consent is None:
        raise NotFound()
    consent.case = case
    return consent


def transfer_get_for(*, user: selectors.Viewer, case: Case, transfer_id: uuid.UUID) -> CaseTransfer:
    transfer = selectors.transfers_for(user=user, case=case).filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound()
    transfer.case = case
    return transfer


def closure_request_get_for(*, user: selectors.Viewer, case: Case, request_id: uuid.UUID) -> ClosureRequest:
    request = selectors.closure_requests_for(user=user, case=case).filter(pk=request_id).first()
    if request is None:
        raise NotFound()
    request.case = case
    return request


# --- History from the audit log ------------------------------------------------------------------

# The records of a case whose changes the audit log holds (needs are audited with their assessment).
_RECORDS_OF_A_CASE: tuple[tuple[type[Any], str], ...] = (
    (IdentificationDecision, "case"),
    (TraffickingDetails, "case"),
    (TraffickingPlace, "case"),
    (Assessment, "case"),
    (CarePlan, "case"),
    (CarePlanGoal, "plan__case"),
    (CarePlanAction, "goal__plan__case"),
    (CaseNote, "case"),
    (Consent, "case"),
    (CaseTransfer, "case"),
    (CaseAccess, "case"),
    (ClosureRequest, "case"),
)


def case_history_for(
    *, user: selectors.Viewer, case: Case, include_reads: bool = False
) -> QuerySet[AuditEvent]:
    """The audit events of a case and of its records, newest first: what was done to it, by whom
    and when (field names only, never values). Reads and exports of the case are left out unless
    `include_reads`. For anyone who may see the case, whatever their audit permissions."""
    _ensure_visible(user, case)
    queries = [
        model.objects.filter(**{path: case}).order_by().values_list("pk", flat=True)
        for model, path in _RECORDS_OF_A_CASE
    ]
    first, *rest = queries
    record_ids = [str(pk) for pk in first.union(*rest, all=True)]
    events = AuditEvent.objects.filter(
        Q(object_type=Case._meta.label_lower, object_id=str(case.pk)) | Q(object_id__in=record_ids)
    )
    if not include_reads:
        events = events.exclude(action__in=[AuditAction.VIEW, AuditAction.LIST, AuditAction.EXPORT])
    return events.order_by("-sequence")


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    what: str
    fields: list[str]
    # The event's reason with references to encrypted reasons replaced by their text.
    reason: str = ""


def field_label(model: type[Any] | None, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name.split(".", 1)[0])
    except FieldDoesNotExist:
        return name
    if field.auto_created and not field.concrete and field.related_model is not None:
        # A reverse relation (a case's notes, its consents) has no verbose name of its own: it
        # is named after the records it holds.
        return str(field.related_model._meta.verbose_name_plural)
    return str(getattr(field, "verbose_name", name))


def history_entries(events: Iterable[AuditEvent]) -> list[HistoryEntry]:
    """Events with the kind of record and the changed fields named as the pages name them."""
    entries = []
    events = list(events)
    reason_texts = reasons.expand_all(event.reason for event in events)
    for event in events:
        try:
            model = apps.get_model(event.object_type) if event.object_type else None
        except (LookupError, ValueError):
            model = None
        what = str(model._meta.verbose_name) if model is not None else event.object_type
        fields = [field_label(model, name) for name in event.changed_fields or []]
        reason = reason_texts.get(event.reason, event.reason)
        entries.append(HistoryEntry(event=event, what=what, fields=fields, reason=reason))
    return entries


# --- The approvals queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalRow:
    """One line of a supervisor's approvals: a submitted plan or a closure request, the case tab
    where it is decided, and (for a plan) how many of its actions are already past due."""

    kind: str
    record: CarePlan | ClosureRequest
    case: Case
    waiting_since: datetime.datetime
    asked_by: User | None
    tab: str
    overdue_actions: int = 0


def approval_rows(items: Sequence[dict[str, Any]]) -> list[ApprovalRow]:
    """Rows for a page of `selectors.approvals_for`: three queries whatever the page's size."""
    plan_ids = [i["id"] for i in items if i["kind"] == selectors.APPROVAL_PLAN]
    plans = selectors.care_plans_by_id(plan_ids) if plan_ids else {}
    closure_ids = [i["id"] for i in items if i["kind"] == selectors.APPROVAL_CLOSURE]
    closures = selectors.closures_by_id(closure_ids) if closure_ids else {}
    overdue = selectors.overdue_action_counts(plan_ids=plan_ids) if plan_ids else {}
    rows: list[ApprovalRow] = []
    for item in items:
        if item["kind"] == selectors.APPROVAL_PLAN and item["id"] in plans:
            plan = plans[item["id"]]
            rows.append(
                ApprovalRow(
                    selectors.APPROVAL_PLAN,
                    plan,
                    plan.case,
                    item["waiting_since"],
                    plan.submitted_by,
                    "plan",
                    overdue.get(plan.pk, 0),
                )
            )
        elif item["id"] in closures:
            closure = closures[item["id"]]
            rows.append(
                ApprovalRow(
                    selectors.APPROVAL_CLOSURE,
                    closure,
                    closure.case,
                    item["waiting_since"],
                    closure.requested_by,
                    "closure",
                )
            )
    return rows
