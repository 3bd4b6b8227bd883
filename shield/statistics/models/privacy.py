"""The privacy-budget ledger: every epsilon spent on a dataset (an indicator) for a period."""

from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel


class LedgerError(Exception):
    """Raised when code tries to change or remove a ledger entry."""


class PrivacySpend(BaseModel):
    """One spend of privacy budget: append-only (a spend cannot be taken back once noise is out)."""

    dataset = models.CharField(_("dataset"), max_length=100, db_index=True)
    period = models.CharField(_("period"), max_length=20)
    epsilon = models.DecimalField(_("epsilon"), max_digits=8, decimal_places=4)
    spent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="privacy_spends",
        verbose_name=_("spent by"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)

    class Meta:
        ordering = ["dataset", "period", "created_at"]
        verbose_name = _("privacy budget spend")
        verbose_name_plural = _("privacy budget spends")
        indexes = [models.Index(fields=["dataset", "period"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(epsilon__gt=Decimal(0)), name="privacy_spend_epsilon_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.period}: ε {self.epsilon}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise LedgerError("A privacy spend cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise LedgerError("A privacy spend cannot be removed.")
