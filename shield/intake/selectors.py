"""Reads of intake records, limited to what the user may see. Missing and out-of-scope both raise NotFound.

Who sees a screening (`screening_visible_q`):
- holders of `intake.screen` whose scope reaches the screening's agency (the Border Guard post):
  agency scope the post and the posts below it, province scope every post in the province,
  national scope all; drafts only by the officer who is typing them;
- holders of `cases.view` whose scope reaches the agency that owns the case a referral opened,
  so the receiving agency reads why the person was referred.

Who sees a tip (`tip_visible_q`): holders of `intake.triage_tips` whose scope reaches the agency
that received it or the agency it was assigned to.

Detail reads are audited by the caller (views and API views record a `view` event).
"""

import datetime
import statistics
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from shield.accounts import policy
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.cases.models import Case
from shield.core.lookups import one_or_not_found
from shield.geo.models import BorderGate
from shield.intake.models import (
    ReferralNotice,
    Screening,
    ScreeningInstrument,
    ScreeningStatus,
    Tip,
    TipStatus,
)
from shield.intake.risk import REFERRAL_OUTCOMES

SCREEN = "intake.screen"
TRIAGE = "intake.triage_tips"
PUBLISH = "intake.publish_instruments"
CASES_VIEW = "cases.view"
DEFAULT_INSTRUMENT = "border-gate"

Viewer = User | AnonymousUser
NOTHING = Q(pk__in=[])


def _active(user: Viewer | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    return user


# --- Instruments ---------------------------------------------------------------------------------


def instrument_current(code: str = DEFAULT_INSTRUMENT) -> ScreeningInstrument | None:
    """The newest published version of an instrument: what a new screening is taken with."""
    return ScreeningInstrument.objects.filter(code=code).order_by("-version").first()


def instrument_list() -> QuerySet[ScreeningInstrument]:
    return ScreeningInstrument.objects.select_related("published_by").order_by("code", "-version")


def instrument_get(*, instrument_id: uuid.UUID | str) -> ScreeningInstrument:
    return one_or_not_found(ScreeningInstrument.objects.all(), instrument_id)


# --- Screenings ----------------------------------------------------------------------------------


def screening_visible_q(user: Viewer | None) -> Q:
    u = _active(user)
    if u is None:
        return NOTHING
    reach = NOTHING
    if policy.has_permission(u, SCREEN):
        gate_reach = u.scope_q(SCREEN, agency_path="agency", owner_path="officer")
        reach = gate_reach & (~Q(status=ScreeningStatus.DRAFT) | Q(officer=u))
    if policy.has_permission(u, CASES_VIEW):
        reach |= Q(case__isnull=False) & u.scope_q(CASES_VIEW, agency_path="case__owner_agency")
    return reach


@dataclass(frozen=True)
class ScreeningFilters:
    border_gate: BorderGate | None = None
    outcome: str = ""
    status: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""


def screening_list_for(*, user: Viewer, filters: ScreeningFilters | None = None) -> QuerySet[Screening]:
    """Screenings the user may see, newest first, narrowed by the filters. Discarded drafts only
    when asked for by status."""
    f = filters or ScreeningFilters()
    screenings = Screening.objects.filter(screening_visible_q(user))
    if f.status:
        screenings = screenings.filter(status=f.status)
    else:
        screenings = screenings.exclude(status=ScreeningStatus.DISCARDED)
    if f.border_gate is not None:
        screenings = screenings.filter(border_gate=f.border_gate)
    if f.outcome:
        screenings = screenings.filter(outcome=f.outcome)
    if f.date_from is not None:
        screenings = screenings.filter(started_at__date__gte=f.date_from)
    if f.date_to is not None:
        screenings = screenings.filter(started_at__date__lte=f.date_to)
    q = " ".join((f.q or "").split())
    if q:
        screenings = screenings.filter(Q(traveller_name__icontains=q) | Q(document_number__icontains=q))
    return screenings.select_related("border_gate", "officer", "agency", "receiving_agency", "case").order_by(
        "-started_at", "-id"
    )


def screening_get_for(*, user: Viewer, screening_id: uuid.UUID | str) -> Screening:
    screenings = Screening.objects.filter(screening_visible_q(user)).select_related(
        "instrument", "border_gate", "officer", "agency", "receiving_agency", "case", "group"
    )
    return one_or_not_found(screenings, screening_id)


def group_members(*, user: Viewer, screening: Screening) -> list[Screening]:
    """The other screenings of the screening's group that the user may see."""
    if screening.group_id is None:
        return []
    return list(
        Screening.objects.filter(screening_visible_q(user), group_id=screening.group_id)
        .exclude(pk=screening.pk)
        .exclude(status=ScreeningStatus.DISCARDED)
        .order_by("started_at")
    )


def drafts_of(*, user: Viewer) -> QuerySet[Screening]:
    u = _active(user)
    if u is None:
        return Screening.objects.none()
    return (
        Screening.objects.filter(screening_visible_q(u), officer=u, status=ScreeningStatus.DRAFT)
        .select_related("border_gate")
        .order_by("-updated_at")
    )


def gates_of(*, user: Viewer) -> list[BorderGate]:
    """The gates of the agencies where the user screens (a Border Guard post serves one gate)."""
    gates = {
        m.agency.border_gate_id for m in policy.memberships_with(user, SCREEN) if m.agency.border_gate_id
    }
    return list(BorderGate.objects.filter(pk__in=gates).order_by("name"))


def screening_agency_of(user: Viewer) -> Agency | None:
    """The agency a new screening by this user belongs to: the first where they screen."""
    memberships = policy.memberships_with(user, SCREEN)
    with_gate = [m for m in memberships if m.agency.border_gate_id]
    chosen = with_gate or memberships
    return chosen[0].agency if chosen else None


def gate_recent(*, user: Viewer, limit: int = 10) -> list[Screening]:
    """The latest completed screenings at the user's gates, with their outcomes."""
    gates = gates_of(user=user)
    if not gates:
        return []
    return list(
        Screening.objects.filter(
            screening_visible_q(user), border_gate__in=gates, status=ScreeningStatus.COMPLETED
        )
        .select_related("border_gate", "officer")
        .order_by("-started_at", "-id")[:limit]
    )


def receiving_agencies() -> QuerySet[Agency]:
    """Agencies that can take a referral: active, with an active member who works on cases."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if "cases.edit" in perms]
    members = Membership.objects.filter(is_active=True, user__is_active=True, role__in=roles)
    return Agency.objects.filter(is_active=True, pk__in=members.values("agency_id")).order_by("name_vi")


# --- Tips ----------------------------------------------------------------------------------------


def tip_visible_q(user: Viewer | None) -> Q:
    u = _active(user)
    if u is None or not policy.has_permission(u, TRIAGE):
        return NOTHING
    return u.scope_q(TRIAGE, agency_path="agency") | u.scope_q(TRIAGE, agency_path="assigned_agency")


def overdue_q(now: datetime.datetime | None = None) -> Q:
    """Tips still waiting for triage after their deadline."""
    return Q(status=TipStatus.NEW, triage_due_at__lt=now or timezone.now())


@dataclass(frozen=True)
class TipFilters:
    status: str = ""
    urgency: str = ""
    channel: str = ""
    overdue: bool = False
    q: str = ""


def tip_list_for(*, user: Viewer, filters: TipFilters | None = None) -> QuerySet[Tip]:
    """Tips the user may see: waiting ones first (soonest deadline first), then the rest, newest first."""
    f = filters or TipFilters()
    tips = Tip.objects.filter(tip_visible_q(user))
    if f.status:
        tips = tips.filter(status=f.status)
    if f.urgency:
        tips = tips.filter(urgency=f.urgency)
    if f.channel:
        tips = tips.filter(channel=f.channel)
    if f.overdue:
        tips = tips.filter(overdue_q())
    q = (f.q or "").strip()
    if q:
        # Descriptions are encrypted: only the reference can be searched.
        tips = tips.filter(reference__icontains=q)
    return tips.select_related("agency", "assigned_agency", "province", "case").order_by(
        "-received_at", "-id"
    )


def tip_get_for(*, user: Viewer, tip_id: uuid.UUID | str) -> Tip:
    tips = Tip.objects.filter(tip_visible_q(user)).select_related(
        "agency", "assigned_agency", "province", "commune", "person", "case", "received_by"
    )
    return one_or_not_found(tips, tip_id)


def tips_overdue_for(*, user: Viewer, limit: int = 10) -> tuple[list[Tip], int]:
    """The overdue tips this user's agencies can act on, most overdue first, and how many in all."""
    tips = Tip.objects.filter(tip_visible_q(user)).filter(overdue_q()).select_related("agency")
    return list(tips.order_by("triage_due_at")[:limit]), tips.count()


def origins_of_case(*, user: Viewer, case: Case) -> tuple[list[Screening], list[Tip]]:
    """The screenings and tips, among those the user may see, that a case came from."""
    screenings = Screening.objects.filter(screening_visible_q(user), case=case).select_related("border_gate")
    tips = Tip.objects.filter(tip_visible_q(user), case=case)
    return list(screenings.order_by("started_at")), list(tips.order_by("received_at"))


# --- Notices -------------------------------------------------------------------------------------


def notices_for(*, user: Viewer, limit: int = 10) -> list[ReferralNotice]:
    """Referrals waiting for acknowledgement at the agencies where the user sees cases."""
    agencies = {m.agency_id for m in policy.memberships_with(user, CASES_VIEW)}
    if not agencies:
        return []
    return list(
        ReferralNotice.objects.filter(agency_id__in=agencies, acknowledged_at__isnull=True)
        .select_related("case", "screening__border_gate", "tip", "agency")
        .order_by("-urgent", "-created_at")[:limit]
    )


def notice_get_for(*, user: Viewer, notice_id: uuid.UUID | str) -> ReferralNotice:
    agencies = {m.agency_id for m in policy.memberships_with(user, CASES_VIEW)}
    return one_or_not_found(ReferralNotice.objects.filter(agency_id__in=agencies), notice_id)


# --- Figures for statistics ----------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeFigures:
    per_gate_day: list[dict[str, Any]]
    outcomes: dict[str, int]
    completed: int
    referred: int
    median_triage_minutes: float | None

    @property
    def referral_rate(self) -> float | None:
        return self.referred / self.completed if self.completed else None


def intake_figures(*, user: Viewer, date_from: datetime.date, date_to: datetime.date) -> IntakeFigures:
    """Screenings per gate and day, outcomes, the referral rate and the median time to triage of the
    tips in the user's reach, for the days from `date_from` to `date_to` (local dates)."""
    completed = Screening.objects.filter(
        screening_visible_q(user),
        status=ScreeningStatus.COMPLETED,
        started_at__date__gte=date_from,
        started_at__date__lte=date_to,
    )
    per_gate_day = list(
        completed.annotate(day=TruncDate("started_at"))
        .values("border_gate__code", "day")
        .annotate(screenings=Count("id"))
        .order_by("day", "border_gate__code")
    )
    outcomes = Counter(
        dict(completed.values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    )
    triaged = Tip.objects.filter(
        tip_visible_q(user),
        triaged_at__isnull=False,
        received_at__date__gte=date_from,
        received_at__date__lte=date_to,
    ).values_list("received_at", "triaged_at")
    minutes = [(t - r).total_seconds() / 60 for r, t in triaged if t is not None]
    total = sum(outcomes.values())
    return IntakeFigures(
        per_gate_day=per_gate_day,
        outcomes=dict(outcomes),
        completed=total,
        referred=sum(n for outcome, n in outcomes.items() if outcome in REFERRAL_OUTCOMES),
        median_triage_minutes=statistics.median(minutes) if minutes else None,
    )
