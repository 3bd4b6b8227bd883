"""Reads of the children's records with access applied (through the proceeding: missing and
forbidden both raise NotFound). Detail reads are audited by the caller (page or API view)."""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from shield.core.lookups import one_or_not_found
from shield.justice.children import rules
from shield.justice.models import (
    ChildDeadlineBreach,
    Diversion,
    DiversionReport,
    DiversionStatus,
    Interview,
    InterviewStatus,
    Party,
    Proceeding,
    ProceedingStatus,
)
from shield.justice.proceedings import access
from shield.justice.proceedings import selectors as proceeding_selectors
from shield.justice.proceedings.access import Viewer

PAGE_SIZE = 25


def _visible_proceedings(user: Viewer) -> QuerySet[Proceeding]:
    return Proceeding.objects.filter(access.visible_q(user))


def child_party_get_for(*, user: Viewer, party_id: uuid.UUID | str) -> Party:
    """A child party of a proceeding the user sees (NotFound for adults too: no child rules)."""
    party = proceeding_selectors.party_get_for(user=user, party_id=party_id)
    if not party.is_child:
        from shield.core.errors import NotFound

        raise NotFound()
    return party


def interviews_of(party: Party) -> QuerySet[Interview]:
    return party.interviews.select_related("justified_by", "recorded_by").order_by("started_at")


def interview_get_for(*, user: Viewer, interview_id: uuid.UUID | str) -> Interview:
    items = Interview.objects.filter(proceeding__in=_visible_proceedings(user)).select_related(
        "party", "party__person", "proceeding", "proceeding__holding_agency", "justified_by", "recorded_by"
    )
    interview = one_or_not_found(items, interview_id)
    interview.party.display_name = proceeding_selectors.party_name_for(  # type: ignore[attr-defined]
        user=user, party=interview.party, proceeding=interview.proceeding
    )
    return interview


def diversions_of(party: Party) -> QuerySet[Diversion]:
    return party.diversions.select_related("decided_by").prefetch_related("reports").order_by("-decided_on")


def diversion_get_for(*, user: Viewer, diversion_id: uuid.UUID | str) -> Diversion:
    items = Diversion.objects.filter(proceeding__in=_visible_proceedings(user)).select_related(
        "party", "party__person", "proceeding", "proceeding__holding_agency", "decided_by"
    )
    diversion = one_or_not_found(items, diversion_id)
    diversion.party.display_name = proceeding_selectors.party_name_for(  # type: ignore[attr-defined]
        user=user, party=diversion.party, proceeding=diversion.proceeding
    )
    return diversion


def report_get_for(*, user: Viewer, report_id: uuid.UUID | str) -> DiversionReport:
    items = DiversionReport.objects.filter(
        diversion__proceeding__in=_visible_proceedings(user)
    ).select_related("diversion", "diversion__proceeding")
    return one_or_not_found(items, report_id)


def deadlines_of(party: Party, *, child_rules: rules.ChildRules | None = None) -> list[rules.Deadline]:
    """The party's deadlines by the rules in force when the child became a party, with when each
    was met (three queries)."""
    met: dict[str, datetime.datetime] = {m.key: m.met_at for m in party.deadlines_met.all()}
    first = party.interviews.filter(status=InterviewStatus.HELD).aggregate(first=Min("started_at"))["first"]
    if first is not None:
        met["first_interview"] = first
    decided = party.diversions.aggregate(first=Min("created_at"))["first"]
    if decided is not None:
        met["diversion_decision"] = decided
    return rules.deadlines(
        child_rules or rules.ChildRules.current(), role=party.role, started_at=party.created_at, met=met
    )


# Work queues ------------------------------------------------------------------------------------


def _mine(user: Viewer) -> Q:
    """Proceedings the user sees and is assigned to: the officer's own work."""
    return access.assigned_q(user)


def breaches_open_for(*, user: Viewer) -> QuerySet[ChildDeadlineBreach]:
    """Child deadlines breached and not yet done in the user's assigned open proceedings."""
    return (
        ChildDeadlineBreach.objects.filter(
            resolved_at__isnull=True,
            episode__isnull=True,  # detention limits have their own section (detention/queues.py)
            party__proceeding__in=Proceeding.objects.filter(_mine(user), status=ProceedingStatus.OPEN),
        )
        .select_related("party", "party__person", "party__proceeding")
        .order_by("due_at", "pk")
    )


def reports_due_for(*, user: Viewer, within_days: int = 7) -> QuerySet[DiversionReport]:
    """Compliance reports not submitted, due within `within_days` or overdue, in the user's
    assigned proceedings."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    return (
        DiversionReport.objects.filter(
            submitted_on__isnull=True,
            due_on__lte=horizon,
            diversion__status=DiversionStatus.IN_PROGRESS,
            diversion__proceeding__in=Proceeding.objects.filter(_mine(user)),
        )
        .select_related("diversion", "diversion__party", "diversion__party__person", "diversion__proceeding")
        .order_by("due_on", "pk")
    )


def interviews_planned_for(*, user: Viewer) -> QuerySet[Interview]:
    """Planned sessions from today on, in the user's assigned proceedings."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Interview.objects.filter(
            status=InterviewStatus.PLANNED,
            started_at__gte=start,
            proceeding__in=Proceeding.objects.filter(_mine(user)),
        )
        .select_related("party", "party__person", "proceeding")
        .order_by("started_at", "pk")
    )


@dataclass(frozen=True)
class WorkItem:
    """One line of the children's section of the justice worklist."""

    kind: str  # "breach", "report", "interview"
    when: datetime.datetime | datetime.date
    reference: str
    party_id: uuid.UUID
    party_name: str
    label: str
    url: str
