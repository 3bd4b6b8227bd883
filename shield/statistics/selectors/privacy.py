"""The privacy budget left for a dataset and period."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from shield.statistics.models import PrivacySpend


def privacy_budget() -> Decimal:
    """The epsilon allowed per dataset and period (settings.SHIELD_STATISTICS_EPSILON_BUDGET)."""
    return Decimal(str(settings.SHIELD_STATISTICS_EPSILON_BUDGET))


def privacy_spent(*, dataset: str, period: str) -> Decimal:
    total = PrivacySpend.objects.filter(dataset=dataset, period=period).aggregate(total=Sum("epsilon"))[
        "total"
    ]
    return Decimal(total or 0).quantize(Decimal("0.0001"))


def privacy_remaining(*, dataset: str, period: str) -> Decimal:
    """The budget not yet spent (never below zero). Aggregates only: no person is read."""
    return max(Decimal(0), privacy_budget() - privacy_spent(dataset=dataset, period=period))
