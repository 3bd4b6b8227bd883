"""Reading a returnee received and the support given to them at reception, with access applied:
`returns.view` in a scope reaching the reception's agency (missing and forbidden both 404)."""

import uuid

from django.db.models import QuerySet

from shield.referrals.models import SupportDelivery
from shield.returns.models import ReceptionMember


def member_support_list(*, member: ReceptionMember) -> QuerySet[SupportDelivery]:
    """The support given to `member` at reception, newest first, voided ones too (marked). `member`
    comes from `selectors.member_get_for`, so the user reaches the reception; the giving agency is the
    reception's, so the same user sees these deliveries in the referrals app."""
    return (
        SupportDelivery.objects.filter(reception_support__member=member)
        .select_related("agency", "recorded_by")
        .order_by("-delivered_on", "-created_at", "-id")
    )


def supports_by_member(*, members: list[ReceptionMember]) -> dict[uuid.UUID, list[SupportDelivery]]:
    """The support given at reception to each of `members` (read through `selectors.member_get_for` or the
    reception's own selector), newest first: one query whatever the number of members."""
    found: dict[uuid.UUID, list[SupportDelivery]] = {m.pk: [] for m in members}
    rows = (
        SupportDelivery.objects.filter(reception_support__member__in=[m.pk for m in members])
        .select_related("agency", "recorded_by", "reception_support")
        .order_by("-delivered_on", "-created_at", "-id")
    )
    for delivery in rows:
        found[delivery.reception_support.member_id].append(delivery)
    return found
