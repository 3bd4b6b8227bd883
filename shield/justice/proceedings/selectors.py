"""Reads of proceedings, with access applied (see `access`). Missing and forbidden both raise
NotFound. Detail reads are audited by the caller (page or API view), as the cases app does."""

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from shield.cases.models import Case
from shield.core.lookups import one_or_not_found
from shield.justice.models import (
    JusticeAssignment,
    Party,
    Proceeding,
    ProceedingHolding,
    ProceedingOffence,
    ProceedingStatus,
    ProceedingStep,
)
from shield.justice.proceedings import access
from shield.justice.proceedings.access import Viewer, can_see_child_identity
from shield.justice.proceedings.offences import trafficking_codes
from shield.people.models import Person
from shield.people.selectors import masked_name

MAX_QUERY_LENGTH = 80


@dataclass(frozen=True)
class ProceedingFilters:
    """What a user may narrow the proceeding list by. `q` is a reference or its beginning
    (`CA-HN-2026-`), case-insensitive; the other filters are exact."""

    status: str = ""
    holding_agency_id: uuid.UUID | None = None
    offence: str = ""
    trafficking_only: bool = False
    has_child_parties: bool = False
    q: str = ""


def _child_parties() -> Exists:
    return Exists(Party.objects.filter(proceeding=OuterRef("pk"), is_child=True))


def proceeding_list_for(*, user: Viewer, filters: ProceedingFilters | None = None) -> QuerySet[Proceeding]:
    """Proceedings the user sees in full, newest report first, with their holding agency, their
    offences (prefetched). `has_children` is set on a page's rows by `mark_child_parties` (one
    query for the page: annotated on the whole queryset, PostgreSQL hashed every child party of
    the country on each request)."""
    f = filters or ProceedingFilters()
    items = (
        Proceeding.objects.filter(access.visible_q(user))
        .select_related("holding_agency")
        .prefetch_related(Prefetch("offences", queryset=ProceedingOffence.objects.order_by("code")))
        .order_by("-reported_at", "-id")
    )
    if f.status:
        items = items.filter(status=f.status)
    if f.holding_agency_id:
        items = items.filter(holding_agency_id=f.holding_agency_id)
    if f.offence:
        items = items.filter(pk__in=ProceedingOffence.objects.filter(code=f.offence).values("proceeding_id"))
    if f.trafficking_only:
        codes = trafficking_codes()
        items = items.filter(pk__in=ProceedingOffence.objects.filter(code__in=codes).values("proceeding_id"))
    if f.has_child_parties:
        items = items.filter(_child_parties())
    q = (f.q or "").strip()[:MAX_QUERY_LENGTH]
    if q:
        items = items.filter(reference__startswith=q.upper())
    return items


def mark_child_parties(proceedings: Sequence[Proceeding]) -> None:
    """Set `has_children` (any child party) on a page of proceedings, in one query."""
    ids = [p.pk for p in proceedings]
    with_children = (
        set(
            Party.objects.filter(proceeding_id__in=ids, is_child=True)
            .values_list("proceeding_id", flat=True)
            .distinct()
        )
        if ids
        else set()
    )
    for proceeding in proceedings:
        proceeding.has_children = proceeding.pk in with_children  # type: ignore[attr-defined]


def proceeding_get_for(*, user: Viewer, proceeding_id: uuid.UUID | str) -> Proceeding:
    """One proceeding the user sees in full; missing, malformed and out-of-reach ids raise NotFound."""
    items = Proceeding.objects.filter(access.visible_q(user)).select_related("holding_agency", "created_by")
    return one_or_not_found(items, proceeding_id)


def proceeding_get_for_edit(*, user: Viewer, proceeding_id: uuid.UUID | str) -> Proceeding:
    """One proceeding the user may change (NotFound otherwise, as for a read)."""
    items = Proceeding.objects.filter(access.editable_q(user)).select_related("holding_agency")
    return one_or_not_found(items, proceeding_id)


def proceeding_restricted_get_for(*, user: Viewer, proceeding_id: uuid.UUID | str) -> tuple[Proceeding, bool]:
    """A proceeding with whether the user sees it in full (True) or only its steps and hearings
    (False: a case worker of a linked protection case). NotFound when neither."""
    items = Proceeding.objects.filter(access.visible_q(user) | access.restricted_q(user)).select_related(
        "holding_agency"
    )
    proceeding = one_or_not_found(items, proceeding_id)
    return proceeding, access.can_view(user=user, proceeding=proceeding)


def timeline_get_for(*, user: Viewer, proceeding_id: uuid.UUID | str) -> Proceeding:
    """A proceeding's steps and hearing dates, by the page's rule (`proceeding_restricted_get_for`:
    in full or through a linked protection case; NotFound otherwise). The proceeding carries
    `timeline` (steps, oldest first), `next_hearing` and `view` ("full" or "restricted")."""
    proceeding, full = proceeding_restricted_get_for(user=user, proceeding_id=proceeding_id)
    steps = list(steps_of(proceeding))
    now = timezone.now()
    upcoming = [s.scheduled_for for s in steps if s.scheduled_for and s.scheduled_for >= now]
    proceeding.timeline = steps  # type: ignore[attr-defined]
    proceeding.next_hearing = min(upcoming) if upcoming else None  # type: ignore[attr-defined]
    proceeding.view = "full" if full else "restricted"  # type: ignore[attr-defined]
    return proceeding


def offences_of(proceeding: Proceeding) -> list[ProceedingOffence]:
    return list(proceeding.offences.order_by("code"))


def holdings_of(proceeding: Proceeding) -> QuerySet[ProceedingHolding]:
    return proceeding.holdings.select_related("agency").order_by("started_at")


def steps_of(proceeding: Proceeding) -> QuerySet[ProceedingStep]:
    """Every step, oldest first; a hearing (scheduled, not yet held) sorts by its date."""
    return proceeding.steps.select_related("agency", "recorded_by").order_by(
        "occurred_on", "scheduled_for", "created_at"
    )


def assignments_of(proceeding: Proceeding, *, include_ended: bool = False) -> QuerySet[JusticeAssignment]:
    items = proceeding.assignments.select_related("officer", "agency", "assigned_by").order_by("created_at")
    return items if include_ended else items.filter(ended_at__isnull=True)


def party_name_for(*, user: Viewer, party: Party, proceeding: Proceeding | None = None) -> str:
    """The party's name as this user may see it: a child's (at the event) only for assigned officers."""
    if not party.is_child or can_see_child_identity(user, proceeding or party.proceeding):
        return party.person.full_name
    return masked_name(party.person)


def party_name_in_list(*, party: Party, person: Person, assigned: set[object]) -> str:
    """A party's name in a list: a child's is masked unless the reader is assigned to the proceeding
    (`assigned` from `access.assigned_proceeding_ids`, one query for the whole page)."""
    if party.is_child and party.proceeding_id not in assigned:
        return masked_name(person)
    return person.full_name


def parties_of(*, user: Viewer, proceeding: Proceeding) -> list[Party]:
    """The proceeding's parties, each with `display_name` set as the user may see it."""
    parties = list(proceeding.parties.select_related("person", "protection_case").order_by("created_at"))
    for party in parties:
        party.display_name = party_name_for(user=user, party=party, proceeding=proceeding)  # type: ignore[attr-defined]
    return parties


def party_get_for(*, user: Viewer, party_id: uuid.UUID | str) -> Party:
    """One party of a proceeding the user sees in full (NotFound otherwise), `display_name` set."""
    items = Party.objects.filter(
        proceeding__in=Proceeding.objects.filter(access.visible_q(user))
    ).select_related("person", "proceeding", "proceeding__holding_agency", "protection_case")
    party = one_or_not_found(items, party_id)
    party.display_name = party_name_for(user=user, party=party)  # type: ignore[attr-defined]
    return party


def assignment_get_for(*, user: Viewer, assignment_id: uuid.UUID | str) -> JusticeAssignment:
    items = JusticeAssignment.objects.filter(
        proceeding__in=Proceeding.objects.filter(access.visible_q(user))
    ).select_related("proceeding", "officer")
    return one_or_not_found(items, assignment_id)


def proceedings_for_case(*, user: Viewer, case: Case) -> list[Proceeding]:
    """The proceedings a protection case is linked to (through a victim party), for the case panel:
    the caller has already checked the case is visible. Each carries `timeline` (steps, oldest
    first) and `next_hearing`; no parties, notes or evidence."""
    ids = Party.objects.filter(protection_case=case).values("proceeding_id")
    now = timezone.now()
    proceedings: list[Proceeding] = list(
        Proceeding.objects.filter(pk__in=ids)
        .select_related("holding_agency")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=ProceedingStep.objects.order_by("occurred_on", "scheduled_for", "created_at"),
                to_attr="timeline",
            )
        )
        .order_by("-reported_at")
    )
    for p in proceedings:
        upcoming = [s.scheduled_for for s in p.timeline if s.scheduled_for and s.scheduled_for >= now]  # type: ignore[attr-defined]
        p.next_hearing = min(upcoming) if upcoming else None  # type: ignore[attr-defined]
    return proceedings


def hearings_between(
    *, user: Viewer, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[ProceedingStep]:
    """Scheduled steps (hearings) in [start, end) of open proceedings the user sees in full."""
    visible = Proceeding.objects.filter(access.visible_q(user), status=ProceedingStatus.OPEN).values("pk")
    return (
        ProceedingStep.objects.filter(
            scheduled_for__gte=start, scheduled_for__lt=end, occurred_on__isnull=True
        )
        .filter(proceeding__in=visible)
        .select_related("proceeding", "agency")
        .order_by("scheduled_for", "id")
    )


__all__ = [
    "ProceedingFilters",
    "assignment_get_for",
    "assignments_of",
    "can_see_child_identity",
    "holdings_of",
    "mark_child_parties",
    "offences_of",
    "parties_of",
    "party_get_for",
    "party_name_for",
    "proceeding_get_for",
    "proceeding_get_for_edit",
    "proceeding_list_for",
    "proceeding_restricted_get_for",
    "proceedings_for_case",
    "steps_of",
    "timeline_get_for",
]
