"""Reads of support delivered, limited to what a user may see (missing and forbidden both 404).

A delivery is seen by whoever sees its case (`cases.view`) and by the provider's staff
(`referrals.deliver` reaching the provider's agency); immediate support at first contact also by
whoever holds `returns.view` reaching the giving agency. Detail reads are audited by the caller.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from shield.cases.models import Case
from shield.cases.selectors import Viewer
from shield.core.lookups import one_or_not_found
from shield.referrals.models import SupportDelivery
from shield.referrals.support import access


def visible_q(user: Viewer | None) -> Q:
    return (
        access.visible_cases_q(user, case_path="case")
        | access.staff_q(user, access.DELIVER, provider_path="provider")
        | access.immediate_q(user)
    )


@dataclass(frozen=True)
class DeliveryFilters:
    """What the delivery list is narrowed by; empty values do not filter."""

    support_type: str = ""
    case_id: uuid.UUID | None = None
    delivered_from: datetime.date | None = None
    delivered_to: datetime.date | None = None
    include_voided: bool = False


def delivery_list_for(*, user: Viewer, filters: DeliveryFilters | None = None) -> QuerySet[SupportDelivery]:
    f = filters or DeliveryFilters()
    rows = SupportDelivery.objects.filter(visible_q(user))
    if f.support_type:
        rows = rows.filter(support_type=f.support_type)
    if f.case_id:
        rows = rows.filter(case_id=f.case_id)
    if f.delivered_from:
        rows = rows.filter(delivered_on__gte=f.delivered_from)
    if f.delivered_to:
        rows = rows.filter(delivered_on__lte=f.delivered_to)
    if not f.include_voided:
        rows = rows.filter(voided_at__isnull=True)
    return rows.select_related("case", "person", "provider", "agency", "recorded_by").order_by(
        "-delivered_on", "-created_at"
    )


def delivery_get_for(*, user: Viewer, delivery_id: uuid.UUID | str) -> SupportDelivery:
    rows = SupportDelivery.objects.filter(visible_q(user)).select_related(
        "case",
        "case__owner_agency",
        "person",
        "provider",
        "agency",
        "referral",
        "care_plan_action",
        "recorded_by",
        "voided_by",
    )
    return one_or_not_found(rows, delivery_id)


@dataclass(frozen=True)
class TypeTotal:
    support_type: str
    deliveries: int
    amount_vnd: int


def case_support_for(*, case: Case, limit: int = 20) -> tuple[list[SupportDelivery], list[TypeTotal]]:
    """A case's latest deliveries (voided ones too, marked) and totals per type of those not voided:
    two queries whatever the number of deliveries. `case` comes from `case_get_for`."""
    latest = list(
        SupportDelivery.objects.filter(case=case)
        .select_related("provider", "agency")
        .order_by("-delivered_on", "-created_at")[:limit]
    )
    totals = (
        SupportDelivery.objects.filter(case=case, voided_at__isnull=True)
        .values("support_type")
        .annotate(n=Count("pk"), amount=Sum("amount_vnd"))
        .order_by("support_type")
    )
    return latest, [TypeTotal(t["support_type"], t["n"], int(t["amount"] or 0)) for t in totals]
