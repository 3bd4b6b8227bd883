"""Reading reintegration plans and follow-ups with access applied; the worklist; the score
series of a person; the cohort figures for supervisors.

A user reaches a plan (and its follow-ups) through `returns.follow_up` or `returns.supervise` in a
scope covering the plan's agency, or as its worker. Missing and out-of-reach rows both answer 404.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from shield.accounts import policy
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.cases.models import Case
from shield.cases.selectors import visible_q as case_visible_q
from shield.core.lookups import one_or_not_found
from shield.referrals.models import Referral, ReferralStatus, SupportDelivery
from shield.returns.models import (
    FollowUp,
    FollowUpStatus,
    PlanStatus,
    ReintegrationPlan,
    RevictimisationAlert,
)

FOLLOW_UP = "returns.follow_up"
SUPERVISE = "returns.supervise"
READERS = (FOLLOW_UP, SUPERVISE)
DUE_WITHIN_DAYS = 7


def _reach(user: User, *, agency_path: str, worker_path: str) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    reach = Q(pk__in=[])
    for permission in READERS:
        if policy.has_permission(user, permission):
            reach |= user.scope_q(permission, agency_path=agency_path) | Q(**{worker_path: user})
    return reach


def _reads(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and any(policy.has_permission(user, permission) for permission in READERS)
    )


def plan_visible_q(user: User) -> Q:
    return _reach(user, agency_path="agency", worker_path="worker")


def followup_visible_q(user: User) -> Q:
    return _reach(user, agency_path="agency", worker_path="worker")


@dataclass(frozen=True)
class PlanFilters:
    mine: bool = False
    status: str = ""
    person: uuid.UUID | None = None


def plan_list_for(*, user: User, filters: PlanFilters | None = None) -> QuerySet[ReintegrationPlan]:
    f = filters or PlanFilters()
    rows = ReintegrationPlan.objects.filter(plan_visible_q(user))
    if f.mine:
        rows = rows.filter(worker=user)
    if f.status:
        rows = rows.filter(status=f.status)
    if f.person is not None:
        rows = rows.filter(person_id=f.person)
    return rows.select_related("person", "agency", "worker", "case").order_by("-starts_on", "-id")


def workers_of(agency: Agency | None) -> QuerySet[User]:
    """Who may be a plan's responsible worker in this agency: its active members whose role grants
    `returns.follow_up` (the choices of the create and reassign forms, checked by the services)."""
    if agency is None:
        return User.objects.none()
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if FOLLOW_UP in granted]
    members = Membership.objects.filter(
        agency=agency, is_active=True, role__in=roles, user__is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=members).order_by("first_name", "last_name", "username")


def cases_of_person_for(*, user: User, person_id: uuid.UUID) -> QuerySet[Case]:
    """The person's cases the user may see (the optional case of a new plan)."""
    return Case.objects.filter(case_visible_q(user), person_id=person_id).order_by("-created_at")


def plan_get_for(*, user: User, plan_id: uuid.UUID | str) -> ReintegrationPlan:
    rows = ReintegrationPlan.objects.filter(plan_visible_q(user)).select_related(
        "person", "agency", "worker", "case", "return_record", "contact_lost_requested_by",
        "contact_lost_approved_by",
    )  # fmt: skip
    return one_or_not_found(rows, plan_id)


@dataclass(frozen=True)
class FollowUpFilters:
    mine: bool = False
    status: str = ""
    due: str = ""  # "", "soon" (due within 7 days or overdue), "overdue"
    plan: uuid.UUID | None = None


def followup_list_for(*, user: User, filters: FollowUpFilters | None = None) -> QuerySet[FollowUp]:
    f = filters or FollowUpFilters()
    today = timezone.localdate()
    if f.mine:
        # The worker's own rows are in reach whenever they read follow-ups at all: filtering on the
        # worker alone (no OR of scopes) lets PostgreSQL walk `followup_worker_due` in order and
        # stop at the page's 25 rows (bench/returns_followup.py).
        rows = FollowUp.objects.filter(worker=user) if _reads(user) else FollowUp.objects.none()
    else:
        rows = FollowUp.objects.filter(followup_visible_q(user))
    if f.status:
        rows = rows.filter(status=f.status)
    if f.due == "soon":
        rows = rows.filter(
            status=FollowUpStatus.SCHEDULED, due_on__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS)
        )
    elif f.due == "overdue":
        rows = rows.filter(status=FollowUpStatus.SCHEDULED, due_on__lt=today)
    if f.plan is not None:
        rows = rows.filter(plan_id=f.plan)
    return rows.select_related("plan", "plan__person", "plan__case", "agency", "worker").order_by(
        "due_on", "id"
    )


def followup_get_for(*, user: User, followup_id: uuid.UUID | str) -> FollowUp:
    rows = FollowUp.objects.filter(followup_visible_q(user)).select_related(
        "plan", "plan__person", "plan__case", "agency", "worker", "instrument", "recorded_by",
        "lives_in_province", "lives_in_commune",
    )  # fmt: skip
    return one_or_not_found(rows, followup_id)


def due_for(user: User) -> QuerySet[FollowUp]:
    """The worklist: the worker's scheduled follow-ups due within 7 days or overdue, by the
    `followup_worker_due` index (worker, due_on, id where scheduled)."""
    horizon = timezone.localdate() + datetime.timedelta(days=DUE_WITHIN_DAYS)
    return FollowUp.objects.filter(
        worker=user, status=FollowUpStatus.SCHEDULED, due_on__lte=horizon
    ).order_by("due_on", "id")


def plan_followups(plan: ReintegrationPlan) -> list[FollowUp]:
    return list(plan.followups.select_related("recorded_by", "instrument").order_by("sequence"))


@dataclass(frozen=True)
class ScorePoint:
    day: datetime.date
    economic: Decimal | None
    social: Decimal | None
    psychosocial: Decimal | None
    composite: Decimal | None


def score_series(*, user: User, person_id: uuid.UUID) -> list[ScorePoint]:
    """The person's scored follow-ups over time (all their plans in the user's reach), oldest first."""
    rows = (
        FollowUp.objects.filter(followup_visible_q(user))
        .filter(plan__person_id=person_id, status=FollowUpStatus.DONE, score_composite__isnull=False)
        .order_by("done_on", "id")
        .values_list("done_on", "score_economic", "score_social", "score_psychosocial", "score_composite")
    )
    return [ScorePoint(row[0], *row[1:]) for row in rows if row[0] is not None]


def open_plans_of_case(case_id: uuid.UUID) -> QuerySet[ReintegrationPlan]:
    """Plans of a case still waiting for follow-ups (active: not completed, contact not lost)."""
    return ReintegrationPlan.objects.filter(case_id=case_id, status=PlanStatus.ACTIVE)


@dataclass(frozen=True)
class Cohort:
    plans: int
    followed_at_12: int
    mean_12_supported: Decimal | None
    mean_12_unsupported: Decimal | None
    returnees: int
    revictimised: int

    @property
    def followed_share(self) -> float | None:
        return self.followed_at_12 / self.plans if self.plans else None

    @property
    def revictimisation_rate(self) -> float | None:
        return self.revictimised / self.returnees if self.returnees else None


def cohort_for(*, user: User) -> Cohort:
    """Figures over the plans in the supervisor's reach, in two queries: plans followed up at 12
    months (a done follow-up with contact 12 months or more after the start), the mean composite at
    12 months by whether the person received support (a delivery not voided, or a referral in
    service or completed), and the share of these persons met again (re-victimisation alerts)."""
    plans = ReintegrationPlan.objects.filter(plan_visible_q(user))
    supported = Exists(
        SupportDelivery.objects.filter(person_id=OuterRef("plan__person_id"), voided_at__isnull=True)
    ) | Exists(
        Referral.objects.filter(
            person_id=OuterRef("plan__person_id"),
            status__in=[ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED],
        )
    )
    at_12 = FollowUp.objects.filter(
        plan__in=plans, status=FollowUpStatus.DONE, contact_made=True, months_after__gte=12
    ).annotate(supported=supported)
    figures = at_12.aggregate(
        followed=Count("plan", distinct=True),
        mean_yes=Avg("score_composite", filter=Q(supported=True)),
        mean_no=Avg("score_composite", filter=Q(supported=False)),
    )
    people = plans.aggregate(
        plans=Count("id", distinct=True),
        returnees=Count("person", distinct=True),
        met_again=Count(
            "person",
            distinct=True,
            filter=Exists(RevictimisationAlert.objects.filter(person_id=OuterRef("person_id"))),
        ),
    )

    def _d(value: object) -> Decimal | None:
        return Decimal(str(value)).quantize(Decimal("0.001")) if value is not None else None

    return Cohort(
        plans=people["plans"],
        followed_at_12=figures["followed"],
        mean_12_supported=_d(figures["mean_yes"]),
        mean_12_unsupported=_d(figures["mean_no"]),
        returnees=people["returnees"],
        revictimised=people["met_again"],
    )
