"""Supervisor figures over referrals (Primero's PQ-13 and what the closed loop adds), in the database.

Over the referrals sent from the agencies a supervisor's `referrals.supervise` scope reaches:
- referrals by state;
- accepted within the deadline: of the referrals whose answer is in (answered) or overdue (the
  deadline passed unanswered), the share accepted by `respond_by`;
- median time to accept (sent → accepted), over the accepted ones;
- successful: of the completed referrals, the share whose outcome is successful (PQ-13);
- the same by province (of the referring agency) and by type of service.

Counts are aggregate queries (`Count(..., filter=...)`); medians are one window query (row number
and count per group, keeping the one or two middle rows), so no loop over referrals in Python.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from shield.accounts import policy
from shield.accounts.models import User
from shield.referrals.lifecycle.selectors import SUPERVISE
from shield.referrals.models import Referral, ReferralOutcome, ReferralStatus


@dataclass(frozen=True)
class Figures:
    label: str
    total: int
    by_state: dict[str, int]
    answer_due: int
    accepted_in_time: int
    completed: int
    successful: int
    median_to_accept: datetime.timedelta | None

    @property
    def accepted_in_time_pct(self) -> float | None:
        return round(100 * self.accepted_in_time / self.answer_due, 1) if self.answer_due else None

    @property
    def successful_pct(self) -> float | None:
        return round(100 * self.successful / self.completed, 1) if self.completed else None


def scoped_for(user: User) -> QuerySet[Referral]:
    """The referrals the supervisor's figures cover."""
    return Referral.objects.filter(policy.scope_q(user, SUPERVISE, agency_path="from_agency"))


def _counts(now: datetime.datetime) -> dict[str, Any]:
    counts: dict[str, Any] = {"total": Count("pk")}
    for status in ReferralStatus.values:
        counts[f"s_{status}"] = Count("pk", filter=Q(status=status))
    counts["answer_due"] = Count("pk", filter=Q(answered_at__isnull=False) | Q(respond_by__lt=now))
    counts["accepted_in_time"] = Count(
        "pk", filter=Q(accepted_at__isnull=False, accepted_at__lte=F("respond_by"))
    )
    counts["completed"] = Count("pk", filter=Q(status=ReferralStatus.COMPLETED))
    counts["successful"] = Count(
        "pk", filter=Q(status=ReferralStatus.COMPLETED, outcome=ReferralOutcome.SUCCESSFUL)
    )
    return counts


def _medians(referrals: QuerySet[Referral], group: str | None) -> dict[Any, datetime.timedelta]:
    """The median sent → accepted per group (one query: the middle one or two rows per group)."""
    key: Any = F(group) if group else Value("")
    partition = [key] if group else []
    rows = (
        referrals.filter(accepted_at__isnull=False)
        .annotate(
            g=key,
            wait=ExpressionWrapper(F("accepted_at") - F("sent_at"), output_field=DurationField()),
        )
        .annotate(
            rn=Window(RowNumber(), partition_by=partition or None, order_by=[F("wait").asc(), F("pk").asc()]),
            n=Window(Count("pk"), partition_by=partition or None),
        )
        .filter(Q(rn=(F("n") + 1) / 2) | Q(rn=(F("n") + 2) / 2))
        .values_list("g", "wait")
    )
    middle: dict[Any, list[datetime.timedelta]] = defaultdict(list)
    for g, wait in rows:
        middle[g].append(wait)
    return {g: sum(waits, datetime.timedelta()) / len(waits) for g, waits in middle.items()}


def _figures(label: str, row: dict[str, Any], median: datetime.timedelta | None) -> Figures:
    return Figures(
        label=label,
        total=row["total"],
        by_state={status: row[f"s_{status}"] for status in ReferralStatus.values},
        answer_due=row["answer_due"],
        accepted_in_time=row["accepted_in_time"],
        completed=row["completed"],
        successful=row["successful"],
        median_to_accept=median,
    )


def overall(referrals: QuerySet[Referral], *, now: datetime.datetime | None = None) -> Figures:
    row = referrals.order_by().aggregate(**_counts(now or timezone.now()))
    return _figures("", row, _medians(referrals.order_by(), None).get(""))


def by_group(
    referrals: QuerySet[Referral], group: str, *, now: datetime.datetime | None = None
) -> list[Figures]:
    """The figures per value of `group` (a path: `from_agency__province__name`, `service_type`)."""
    base = referrals.order_by()
    medians = _medians(base, group)
    rows = base.values(group).annotate(**_counts(now or timezone.now())).order_by(group)
    return [_figures(str(row[group] or ""), row, medians.get(row[group])) for row in rows]
