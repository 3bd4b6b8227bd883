"""Demo data of the support part: support delivered under the demo's referrals that reached
service (in service or completed), with amounts from the regimes in force, a few deviations with
their reason and one voided record. Written in bulk (synthetic data, no audit events)."""

import datetime
import random
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from shield.referrals.models import Referral, ReferralStatus, SupportDelivery
from shield.referrals.support.regimes import regime_for

# Service-type codes of the directory's taxonomy.
TRAVEL_HOME = "travel_home"
KINDS = [
    "hardship_allowance",
    TRAVEL_HOME,
    "psychological_support",
    "health_care",
    "legal_aid",
    "education_vocational",
]


def load(*, options: dict[str, Any], out: TextIO) -> None:
    if SupportDelivery.objects.exists():
        out.write("Support: deliveries already loaded.\n")
        return
    rng = random.Random(1616)  # noqa: S311 (synthetic data)
    referrals = list(
        Referral.objects.filter(status__in=[ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED])
        .select_related("case", "provider", "referred_by")
        .order_by("reference")[:300]
    )
    today = timezone.localdate()
    rows: list[SupportDelivery] = []
    for referral in referrals:
        start = timezone.localtime(referral.sent_at).date()
        for kind in rng.sample(KINDS, k=rng.randint(1, 3)):
            day = min(start + datetime.timedelta(days=rng.randint(0, 20)), today)
            quantity = Decimal(rng.randint(1, 5)) if kind == TRAVEL_HOME else Decimal(1)
            regime = regime_for(kind, day)
            suggested = regime.suggested(quantity) if regime else None
            amount, reason = suggested, ""
            if suggested is not None and rng.random() < 0.1:
                amount, reason = suggested + 200_000, "Chi phí đi lại thực tế cao hơn"
            rows.append(
                SupportDelivery(
                    case=referral.case,
                    person_id=referral.person_id,
                    referral=referral,
                    provider=referral.provider,
                    support_type=kind,
                    delivered_on=day,
                    quantity=quantity,
                    unit=regime.unit if regime else "",
                    amount_vnd=amount,
                    suggested_amount_vnd=suggested,
                    regime_basis=regime.legal_basis if regime else "",
                    deviation_reason=reason,
                    recorded_by=referral.referred_by,
                )
            )
    if rows:
        rows[0].voided_at, rows[0].voided_by = timezone.now(), rows[0].recorded_by
        rows[0].void_reason = "Ghi trùng"
    SupportDelivery.objects.bulk_create(rows)
    total = sum(r.amount_vnd or 0 for r in rows if r.voided_at is None)
    out.write(f"Support: {len(rows)} deliveries under {len(referrals)} referrals, {total:,} VND paid.\n")
