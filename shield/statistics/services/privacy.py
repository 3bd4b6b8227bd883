"""Spending privacy budget: the ledger entry and its audit event in one transaction."""

from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import ValidationFailed
from shield.statistics.models import PrivacySpend
from shield.statistics.selectors.privacy import privacy_budget, privacy_spent


class BudgetExceeded(ValidationFailed):
    status_code = 409


def _lock_ledger(dataset: str, period: str) -> None:
    """Serialise spends on one dataset and period, so two cannot both fit the last of the budget."""
    # PostgreSQL: a transaction-scoped advisory lock on the pair (the first spend has no row to lock).
    # SQLite: the settings open every transaction with BEGIN IMMEDIATE, which already serialises.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"privacy:{dataset}:{period}"])


@transaction.atomic
def privacy_spend(
    *, actor: User, dataset: str, period: str, epsilon: float | Decimal, purpose: str
) -> PrivacySpend:
    """Record that `epsilon` of the dataset's budget for the period was spent on `purpose`.

    Refused (nothing written) when epsilon is not positive or when the period's budget would be
    exceeded; the message says how much is left.
    """
    try:
        amount = Decimal(str(epsilon)).quantize(Decimal("0.0001"))
    except InvalidOperation:
        amount = Decimal(0)
    if amount <= 0:
        raise ValidationFailed(field_errors={"epsilon": [_("Epsilon must be a positive number.")]})
    purpose = purpose.strip()
    if not purpose or len(purpose) > 200:
        raise ValidationFailed(
            field_errors={"purpose": [_("Say what the noise is for (at most 200 characters).")]}
        )
    if not dataset or len(dataset) > 100 or not period or len(period) > 20:
        raise ValidationFailed(_("Name the dataset (at most 100 characters) and period (at most 20)."))
    _lock_ledger(dataset, period)
    left = privacy_budget() - privacy_spent(dataset=dataset, period=period)
    if amount > left:
        raise BudgetExceeded(
            _(
                "The privacy budget of %(dataset)s for %(period)s would be exceeded: "
                "%(left)s of %(budget)s is left, %(asked)s was asked."
            )
            % {
                "dataset": dataset,
                "period": period,
                "left": max(left, Decimal(0)),
                "budget": privacy_budget(),
                "asked": amount,
            }
        )
    spend = PrivacySpend.objects.create(
        dataset=dataset, period=period, epsilon=amount, spent_by=actor, purpose=purpose
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=spend,
        changed_fields=["dataset", "period", "epsilon", "purpose"],
        details={"dataset": dataset, "period": period, "epsilon": str(amount)},
    )
    return spend
