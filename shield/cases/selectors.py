"""Reads of cases, limited to the cases a user may see. Missing and out-of-scope both raise NotFound.

Who sees a case (`visible_q`):
- members of the owning agency (and of agencies above it, by their scope) holding `cases.view`:
  own scope reaches the cases assigned to them, agency scope the agency and its sub-agencies,
  province scope every case owned by an agency in their province, national scope every case;
- the assigned worker, while they hold `cases.view` in the owning agency (a worker who left the
  agency loses the cases still assigned to them);
- members holding `cases.view` in an agency the case is shared with through an active
  `CaseAccess` (the former owner after a transfer, for follow-up; an agency the person consented
  to share with): read only;
- members holding `cases.view` in the agency a pending transfer is addressed to, so they can
  decide on it (the transfer itself rests on consent or an overridden legal basis).
Statisticians hold no `cases.view`, so they see no case at all.

Who may change a case (`editable_q`): holders of `cases.edit` whose scope reaches the owning
agency, or the assigned worker holding `cases.edit` in the owning agency. Shared access never
allows changes.
Supervising (`can_supervise`): `cases.supervise` whose scope reaches the owning agency (agency,
province or national scope; an own-scope supervisor supervises nothing).

Reading narratives (`reads_narratives`): note bodies, the basis of identification decisions and
assessment summaries and need notes are free text about what happened to a person. Only roles that
work on cases (`cases.edit`) read them; others who may see a case (a justice officer, an agency it
is shared with for follow-up without that permission) see its stages, decisions and dates. Pages,
the PDF and the API all ask this one function, and the selectors below withhold notes by it.

Detail reads are audited by the caller (the view records a `view` event after `case_get_for`),
so that services can check access through these selectors without writing view events.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from shield.accounts import policy
from shield.accounts.models import Agency, User
from shield.cases import stages
from shield.cases.models import (
    ActionStatus,
    Assessment,
    CarePlan,
    CarePlanAction,
    CarePlanStatus,
    Case,
    CaseAccess,
    CaseNote,
    CaseStageChange,
    CaseTransfer,
    ClosureRequest,
    ClosureStatus,
    Consent,
    IdentificationDecision,
    TraffickingPlace,
    TransferStatus,
)
from shield.core.errors import NotFound
from shield.core.lookups import one_or_not_found
from shield.people import selectors as people_selectors

VIEW = "cases.view"
EDIT = "cases.edit"
SUPERVISE = "cases.supervise"

Viewer = User | AnonymousUser

NOTHING = Q(pk__in=[])


def _active_user(user: Viewer | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    return user


def agency_ids_with(user: Viewer | None, permission: str) -> set[Any]:
    """The agencies in which the user holds `permission` through an active membership."""
    return {m.agency_id for m in policy.memberships_with(user, permission)}


def _reaches_everything(reach: Q) -> bool:
    # National scope answers the empty Q; `Q() | other` would be just `other`, so stop there.
    return not reach.children


def visible_q(user: Viewer | None) -> Q:
    """A filter on Case selecting the cases the user may see (see the module's docstring)."""
    u = _active_user(user)
    if u is None or not policy.has_permission(u, VIEW):
        return NOTHING
    reach = u.scope_q(VIEW, agency_path="owner_agency", owner_path="assigned_worker")
    if _reaches_everything(reach):
        return Q()
    agencies = agency_ids_with(u, VIEW)
    # The assigned worker, while still working in the owning agency.
    reach |= Q(assigned_worker=u, owner_agency_id__in=agencies)
    if agencies:
        # Uncorrelated subqueries: PostgreSQL hashes each once instead of probing per case row.
        shared = CaseAccess.objects.filter(agency_id__in=agencies, revoked_at__isnull=True)
        incoming = CaseTransfer.objects.filter(to_agency_id__in=agencies, status=TransferStatus.REQUESTED)
        reach |= Q(pk__in=shared.values("case_id")) | Q(pk__in=incoming.values("case_id"))
    return reach


def editable_q(user: Viewer | None) -> Q:
    """A filter on Case selecting the cases the user may change."""
    u = _active_user(user)
    if u is None or not policy.has_permission(u, EDIT):
        return NOTHING
    reach = u.scope_q(EDIT, agency_path="owner_agency", owner_path="assigned_worker")
    if _reaches_everything(reach):
        return Q()
    return reach | Q(assigned_worker=u, owner_agency_id__in=agency_ids_with(u, EDIT))


def supervisable_q(user: Viewer | None) -> Q:
    """A filter on Case selecting the cases whose plans and closures the user may approve."""
    u = _active_user(user)
    if u is None:
        return NOTHING
    return u.scope_q(SUPERVISE, agency_path="owner_agency")


def reads_narratives(user: Viewer | None) -> bool:
    """Whether the user's role reads case notes and other narratives (see the module docstring)."""
    u = _active_user(user)
    return u is not None and u.has_perm(EDIT)


def can_view(*, user: Viewer, case: Case) -> bool:
    return Case.objects.filter(visible_q(user), pk=case.pk).exists()


def can_edit(*, user: Viewer, case: Case) -> bool:
    return Case.objects.filter(editable_q(user), pk=case.pk).exists()


def can_supervise(*, user: Viewer, case: Case) -> bool:
    """Whether the user may approve this case's care plans and closure (cases.supervise reaching
    the owning agency: supervisors by agency, province or national scope)."""
    return Case.objects.filter(supervisable_q(user), pk=case.pk).exists()


def persons_reached_through_cases_q(user: Viewer | None) -> Q:
    """A filter on people.Person selecting the persons of the cases this user may see.

    The person registry scopes persons by the agency that registered them; an agency that received
    a case by transfer (or shares it) reaches its person through the case. People sits below cases
    and cannot ask; this is the filter to OR into its scope if that reach is wired up there.
    """
    return Q(pk__in=Case.objects.filter(visible_q(user)).values("person_id"))


def may_act_in_agency(*, user: Viewer, agency: Agency, permission: str = EDIT) -> bool:
    """Whether the user holds `permission` in a membership that reaches `agency` (for opening cases)."""
    u = _active_user(user)
    if u is None:
        return False
    if agency.pk in agency_ids_with(u, permission):
        return True
    reach = u.scope_q(permission, agency_path="pk", province_path="province")
    return Agency.objects.filter(reach, pk=agency.pk).exists()


# --- Lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilters:
    """What a case list is narrowed by; empty values do not filter.

    `search` matches the case reference, a person's name as the registry searches it (words in any
    order, with or without diacritics) or, when it looks like one, an identity document number.
    `today` is the day "overdue" is measured against (the local date by default).
    `queue` narrows to one of the user's work queues (`QUEUES`): the home page counts the same list.
    """

    stages: tuple[str, ...] = ()
    case_type: str = ""
    owner_agency_id: uuid.UUID | None = None
    province_id: uuid.UUID | None = None
    assigned_to_me: bool = False
    has_overdue_actions: bool = False
    search: str = ""
    today: datetime.date | None = None
    queue: str = ""


def _overdue_actions(today: datetime.date) -> QuerySet[CarePlanAction]:
    """Open actions past their due date in plans still in force (not superseded)."""
    return CarePlanAction.objects.filter(status=ActionStatus.OPEN, due_on__lt=today).exclude(
        goal__plan__status=CarePlanStatus.SUPERSEDED
    )


# The case list's work queues (`CaseFilters.queue`), each counted on the home page.
QUEUE_MINE = "mine"  # my open cases
QUEUE_OVERDUE = "overdue"  # open cases with actions past due that are mine (my case or my action)
QUEUE_INCOMING = "incoming"  # cases a pending transfer offers to an agency where I take on cases
QUEUES = (QUEUE_MINE, QUEUE_OVERDUE, QUEUE_INCOMING)


def _queue_q(user: Viewer, queue: str, today: datetime.date) -> Q:
    u = _active_user(user)
    if u is None or queue not in QUEUES:
        return NOTHING
    if queue == QUEUE_INCOMING:
        incoming = CaseTransfer.objects.filter(
            status=TransferStatus.REQUESTED, to_agency_id__in=agency_ids_with(u, EDIT)
        )
        return Q(pk__in=incoming.values("case_id"))
    still_open = ~Q(stage=stages.Stage.CLOSED)
    if queue == QUEUE_MINE:
        return Q(assigned_worker=u) & still_open
    mine = _overdue_actions(today).filter(
        Q(goal__plan__case__assigned_worker=u) | Q(responsible_person=u), goal__plan__case=OuterRef("pk")
    )
    return Q(Exists(mine)) & still_open


def _looks_like_reference(text: str) -> bool:
    """One word with a digit or a hyphen (`SPC-HA-NOI-2026-000123`, `000123`): names have neither,
    and matching a name against every reference would read the whole case table."""
    return len(text.split()) == 1 and any(ch.isdigit() or ch == "-" for ch in text)


def _search_q(user: Viewer, text: str) -> Q:
    """Cases whose reference contains `text`, or whose person the registry finds by it (a name in
    any order and spelling, or a document number)."""
    u = _active_user(user)
    if u is None:
        return NOTHING
    matches = NOTHING
    if _looks_like_reference(text):
        matches = Q(reference__icontains=text)
    person_ids = people_selectors.person_ids_matching(user=u, q=text)
    if person_ids is not None:
        matches |= Q(person_id__in=person_ids)
    return matches


def case_list_for(*, user: Viewer, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases the user may see, newest first (by opening), narrowed by `filters`.

    Each case comes with `person`, `owner_agency` (and its province) and `assigned_worker` loaded,
    so a page of any size costs a constant number of queries; ask `overdue_case_ids` about the
    page's cases for their overdue badges. Show the person's name with
    `shield.people.selectors.display_name_for`, which masks children's names for roles that do not
    need them.
    """
    f = filters or CaseFilters()
    today = f.today or timezone.localdate()
    cases = Case.objects.filter(visible_q(user))
    if f.stages:
        cases = cases.filter(stage__in=list(f.stages))
    if f.case_type:
        cases = cases.filter(case_type=f.case_type)
    if f.owner_agency_id is not None:
        cases = cases.filter(owner_agency_id=f.owner_agency_id)
    if f.province_id is not None:
        cases = cases.filter(owner_agency__province_id=f.province_id)
    if f.assigned_to_me:
        u = _active_user(user)
        cases = cases.filter(assigned_worker=u) if u is not None else cases.none()
    if f.has_overdue_actions:
        cases = cases.filter(Exists(_overdue_actions(today).filter(goal__plan__case=OuterRef("pk"))))
    if f.queue:
        cases = cases.filter(_queue_q(user, f.queue, today))
    text = f.search.strip()
    if text:
        cases = cases.filter(_search_q(user, text))
    # The person's contact details are encrypted: a list neither shows nor decrypts them.
    return (
        cases.select_related("person", "owner_agency", "owner_agency__province", "assigned_worker")
        .defer("person__contact")
        .order_by("-opened_at", "-id")
    )


def overdue_case_ids(*, cases: Iterable[Case], today: datetime.date | None = None) -> set[uuid.UUID]:
    """Which of these cases (a page read through `case_list_for`) have open actions past their due
    date in a plan still in force: one query for the page.

    Not an annotation on the list: PostgreSQL plans an `EXISTS` in the select list for every
    matching case before the LIMIT, hashing all overdue actions in the country (60,000 at a
    million persons, a quarter of a second) to badge 25 rows.
    """
    ids = [c.pk for c in cases]
    if not ids:
        return set()
    overdue = _overdue_actions(today or timezone.localdate()).filter(goal__plan__case_id__in=ids)
    return set(overdue.values_list("goal__plan__case_id", flat=True).distinct())


def case_get_for(*, user: Viewer, case_id: uuid.UUID | str) -> Case:
    """One case the user may see; missing, malformed and out-of-scope ids all raise NotFound.

    Views record the `view` audit event themselves after this call (see the module docstring).
    """
    cases = Case.objects.filter(visible_q(user)).select_related(
        "person", "owner_agency", "owner_agency__province", "assigned_worker", "created_by"
    )
    return one_or_not_found(cases, case_id)


def _ensure_visible(user: Viewer, case: Case) -> None:
    if not can_view(user=user, case=case):
        raise NotFound()


# --- One case's records --------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's timeline: `kind` is "stage", "note" or "decision"; `item` the record."""

    at: datetime.datetime
    kind: str
    item: CaseStageChange | CaseNote | IdentificationDecision


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def case_timeline_for(*, user: Viewer, case: Case) -> list[TimelineEntry]:
    """Stage changes, notes and identification decisions of a case, newest first.

    Notes are placed at the time they took place, decisions on the day they were taken. Notes are
    included only for users who read narratives (and only then loaded and decrypted).
    """
    entries = [TimelineEntry(c.changed_at, "stage", c) for c in stage_changes_for(user=user, case=case)]
    entries += [TimelineEntry(n.occurred_at, "note", n) for n in case_notes_for(user=user, case=case)]
    entries += [
        TimelineEntry(_start_of_day(d.decided_on), "decision", d)
        for d in IdentificationDecision.objects.filter(case=case).select_related("recorded_by")
    ]
    entries.sort(key=lambda e: (e.at, e.item.created_at), reverse=True)
    return entries


def stage_changes_for(*, user: Viewer, case: Case) -> QuerySet[CaseStageChange]:
    """The case's moves through the stage machine, newest first."""
    _ensure_visible(user, case)
    return (
        CaseStageChange.objects.filter(case=case)
        .select_related("changed_by")
        .order_by("-changed_at", "-created_at")
    )


def case_notes_for(*, user: Viewer, case: Case) -> QuerySet[CaseNote]:
    """The case's notes, latest contact first; none for users who do not read narratives."""
    _ensure_visible(user, case)
    if not reads_narratives(user):
        return CaseNote.objects.none()
    return (
        CaseNote.objects.filter(case=case)
        .select_related("author", "corrects")
        .order_by("-occurred_at", "-created_at")
    )


def identification_decisions_for(*, user: Viewer, case: Case) -> QuerySet[IdentificationDecision]:
    """The case's identification decisions, the one in force (latest) first."""
    _ensure_visible(user, case)
    return IdentificationDecision.objects.filter(case=case).select_related("recorded_by")


def latest_identification(case: Case) -> IdentificationDecision | None:
    """The decision in force: the latest by decision date, then by recording time. (No access check:
    for services and for callers that already hold the case through `case_get_for`.)"""
    return IdentificationDecision.objects.filter(case=case).order_by("-decided_on", "-created_at").first()


def assessments_for(*, user: Viewer, case: Case) -> QuerySet[Assessment]:
    """The case's assessments, latest first, with their needs loaded."""
    _ensure_visible(user, case)
    return Assessment.objects.filter(case=case).select_related("assessed_by").prefetch_related("needs")


def care_plans_for(*, user: Viewer, case: Case) -> QuerySet[CarePlan]:
    """The case's care plans, newest first, with goals and actions loaded."""
    _ensure_visible(user, case)
    return (
        CarePlan.objects.filter(case=case)
        .select_related("created_by", "submitted_by", "approved_by", "returned_by")
        .prefetch_related("goals__actions__responsible_agency", "goals__actions__responsible_person")
    )


def care_plan_get_for(*, user: Viewer, plan_id: uuid.UUID | str) -> CarePlan:
    """One care plan of a case the user may see, else NotFound."""
    plans = CarePlan.objects.filter(case__in=Case.objects.filter(visible_q(user))).select_related(
        "case", "created_by", "submitted_by", "approved_by", "returned_by"
    )
    return one_or_not_found(plans, plan_id)


def consents_for(*, user: Viewer, case: Case) -> QuerySet[Consent]:
    """The case's consents, active and withdrawn, newest first."""
    _ensure_visible(user, case)
    return Consent.objects.filter(case=case).select_related("shared_with_agency", "recorded_by")


def active_consent(*, case: Case, scope: str, agency: Agency | None = None) -> Consent | None:
    """The active consent of this scope (and agency, for sharing), if any. No access check."""
    consents = Consent.objects.filter(case=case, scope=scope, withdrawn_on__isnull=True)
    if agency is not None:
        consents = consents.filter(shared_with_agency=agency)
    return consents.order_by("-given_on", "-created_at").first()


def trafficking_places_for(
    *, user: Viewer, case: Case, include_removed: bool = False
) -> QuerySet[TraffickingPlace]:
    _ensure_visible(user, case)
    places = TraffickingPlace.objects.filter(case=case).select_related("province", "commune")
    return places if include_removed else places.filter(removed_at__isnull=True)


def transfers_for(*, user: Viewer, case: Case) -> QuerySet[CaseTransfer]:
    _ensure_visible(user, case)
    return CaseTransfer.objects.filter(case=case).select_related("from_agency", "to_agency", "requested_by")


def case_accesses_for(*, user: Viewer, case: Case) -> QuerySet[CaseAccess]:
    _ensure_visible(user, case)
    return CaseAccess.objects.filter(case=case).select_related("agency", "granted_by")


def closure_requests_for(*, user: Viewer, case: Case) -> QuerySet[ClosureRequest]:
    _ensure_visible(user, case)
    return ClosureRequest.objects.filter(case=case).select_related("requested_by", "decided_by")


# --- Stage machine -------------------------------------------------------------------------------


def case_facts(case: Case, *, closure_approved: bool = False, reason: str = "") -> stages.CaseFacts:
    """What the stage machine's guards need to know about a case, read from the database."""
    latest = latest_identification(case)
    return stages.CaseFacts(
        case_type=case.case_type,
        identification_status=latest.status if latest else None,
        has_assessment=Assessment.objects.filter(case=case).exists(),
        has_approved_plan=CarePlan.objects.filter(case=case, status=CarePlanStatus.APPROVED).exists(),
        closure_approved=closure_approved,
        reason=reason,
    )


REASON_ASKED_WHEN_MOVING = "(asked when moving)"


def case_stage_options_for(*, user: Viewer, case: Case) -> list[stages.Option]:
    """The moves the stage table offers from the case's stage, each with the reason it is refused
    now (if any), for the buttons of the case page. Empty for users who may not change the case.

    Moves to `closed` are refused here with "Closing needs a supervisor's approval": the page offers
    a closure request instead; identification moves happen by recording a decision.
    """
    if not can_edit(user=user, case=case):
        return []
    # Reopening asks for its reason when it is done; do not refuse it here for lacking one.
    return stages.options(case.stage, case_facts(case, reason=REASON_ASKED_WHEN_MOVING))


# --- Work queues ---------------------------------------------------------------------------------


def overdue_actions_for(*, user: Viewer, today: datetime.date | None = None) -> QuerySet[CarePlanAction]:
    """Open care-plan actions past their due date, in open cases the user is assigned to or that the
    user is responsible for: the home page's "my overdue actions", most overdue first."""
    u = _active_user(user)
    if u is None:
        return CarePlanAction.objects.none()
    return (
        _overdue_actions(today or timezone.localdate())
        .filter(Q(goal__plan__case__assigned_worker=u) | Q(responsible_person=u))
        .exclude(goal__plan__case__stage=stages.Stage.CLOSED)
        .select_related("goal__plan__case__person", "responsible_agency", "responsible_person")
        .order_by("due_on", "created_at")
    )


def incoming_transfers_for(*, user: Viewer) -> QuerySet[CaseTransfer]:
    """Pending transfers to agencies where the user may take on cases (cases.edit), oldest first."""
    agencies = agency_ids_with(user, EDIT)
    if not agencies:
        return CaseTransfer.objects.none()
    return (
        CaseTransfer.objects.filter(status=TransferStatus.REQUESTED, to_agency_id__in=agencies)
        .select_related("case__person", "from_agency", "to_agency", "requested_by")
        .order_by("created_at")
    )


def pending_closures_for(*, user: Viewer) -> QuerySet[ClosureRequest]:
    """Closure requests waiting for this supervisor, oldest first."""
    return (
        ClosureRequest.objects.filter(status=ClosureStatus.REQUESTED)
        .filter(case__in=Case.objects.filter(supervisable_q(user)))
        .select_related("case__person", "case__owner_agency", "requested_by")
        .order_by("created_at")
    )


def pending_care_plans_for(*, user: Viewer) -> QuerySet[CarePlan]:
    """Care plans submitted for approval to this supervisor, oldest first."""
    return (
        CarePlan.objects.filter(status=CarePlanStatus.SUBMITTED)
        .filter(case__in=Case.objects.filter(supervisable_q(user)))
        .select_related("case__person", "case__owner_agency", "submitted_by")
        .order_by("submitted_at")
    )


APPROVAL_PLAN = "plan"
APPROVAL_CLOSURE = "closure"


def approvals_for(*, user: Viewer, kind: str = "", search: str = "") -> QuerySet[Any]:
    """What waits for this supervisor's decision: submitted care plans and requested closures of
    the cases their supervision reaches, oldest first, as rows of `id`, `case_id`, `kind` ("plan" or
    "closure") and `waiting_since`. One query for a page; `kind` keeps one of the two, `search`
    matches the case reference. Load the page's records with `care_plans_by_id`/`closures_by_id`.
    """
    supervised = Case.objects.filter(supervisable_q(user))
    text = search.strip()
    if text:
        supervised = supervised.filter(reference__icontains=text)
    plans = (
        CarePlan.objects.filter(status=CarePlanStatus.SUBMITTED, case__in=supervised)
        .annotate(kind=Value(APPROVAL_PLAN, output_field=CharField()), waiting_since=F("submitted_at"))
        .values("id", "case_id", "kind", "waiting_since")
    )
    closures = (
        ClosureRequest.objects.filter(status=ClosureStatus.REQUESTED, case__in=supervised)
        .annotate(kind=Value(APPROVAL_CLOSURE, output_field=CharField()), waiting_since=F("created_at"))
        .values("id", "case_id", "kind", "waiting_since")
    )
    if kind == APPROVAL_PLAN:
        return plans.order_by("waiting_since", "id")
    if kind == APPROVAL_CLOSURE:
        return closures.order_by("waiting_since", "id")
    # The models' default orderings would sit inside the compound statement, where SQL allows none.
    return plans.order_by().union(closures.order_by(), all=True).order_by("waiting_since", "id")


def care_plans_by_id(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, CarePlan]:
    """The plans of a page of `approvals_for` (already access-checked there), with their case."""
    plans = CarePlan.objects.filter(pk__in=list(ids)).select_related(
        "case__owner_agency", "case__person", "submitted_by"
    )
    return {p.pk: p for p in plans}


def closures_by_id(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ClosureRequest]:
    """The closure requests of a page of `approvals_for`, with their case."""
    closures = ClosureRequest.objects.filter(pk__in=list(ids)).select_related(
        "case__owner_agency", "case__person", "requested_by"
    )
    return {c.pk: c for c in closures}


def overdue_action_counts(
    *, plan_ids: Iterable[uuid.UUID], today: datetime.date | None = None
) -> dict[uuid.UUID, int]:
    """How many open actions of each plan are past their due date (one query): approving such a
    plan is allowed, with a warning."""
    rows = (
        CarePlanAction.objects.filter(
            goal__plan_id__in=list(plan_ids),
            status=ActionStatus.OPEN,
            due_on__lt=today or timezone.localdate(),
        )
        .values("goal__plan_id")
        .annotate(n=Count("id"))
    )
    return {row["goal__plan_id"]: row["n"] for row in rows}
