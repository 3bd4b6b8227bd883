"""Support regimes as dated configuration: which amount (or cap) the law set for a type of support
on a given day. The rules live in `referrals/data/support_regimes.json` (a deployment may point
`SHIELD_SUPPORT_REGIMES` at its own file) and are read through `shield.core.dated_rules`. A regime's
`type` is a service-type code of the directory's taxonomy (`shield.referrals.directory.taxonomy`).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

from shield.core import dated_rules
from shield.referrals.directory import taxonomy

__all__ = ["Regime", "RegimeKind", "regime_for", "regimes_in_force"]

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "support_regimes.json"


class RegimeKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    CAP = "cap", _("Up to")
    IN_KIND = "in_kind", _("In kind")


@dataclass(frozen=True)
class Regime:
    support_type: str
    kind: str
    amount_vnd: int | None
    unit: str
    legal_basis: str
    verified: bool
    effective_from: datetime.date
    effective_to: datetime.date | None

    @property
    def label(self) -> str:
        return taxonomy.label_of(self.support_type)

    @property
    def is_money(self) -> bool:
        return self.kind in (RegimeKind.FIXED, RegimeKind.CAP) and self.amount_vnd is not None

    def suggested(self, quantity: Decimal) -> int | None:
        """The amount for `quantity` units (the fixed amount, or the cap), rounded to a đồng."""
        if not self.is_money or self.amount_vnd is None:
            return None
        return int((Decimal(self.amount_vnd) * quantity).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def deviates(self, amount_vnd: int | None, quantity: Decimal) -> bool:
        """Whether an amount given differs from the regime: not the fixed amount, or over the cap."""
        suggested = self.suggested(quantity)
        if suggested is None or amount_vnd is None:
            return False
        return amount_vnd > suggested if self.kind == RegimeKind.CAP else amount_vnd != suggested


def _path() -> Path:
    return dated_rules.rules_path("SHIELD_SUPPORT_REGIMES", DEFAULT_PATH)


def regime_for(support_type: str, day: datetime.date) -> Regime | None:
    """The regime of `support_type` in force on `day` (None: no regime covers that day)."""
    rule = dated_rules.in_force(dated_rules.load(_path(), "regimes"), day, type=support_type)
    if rule is None:
        return None
    amount = rule.get("amount_vnd")
    return Regime(
        support_type=support_type,
        kind=str(rule.get("kind", RegimeKind.IN_KIND)),
        amount_vnd=int(amount) if amount is not None else None,
        unit=str(rule.get("unit", "")),
        legal_basis=str(rule.get("legal_basis", "")),
        verified=bool(rule.get("verified", False)),
        effective_from=rule.effective_from,
        effective_to=rule.effective_to,
    )


def regimes_in_force(day: datetime.date) -> list[Regime]:
    """Every type's regime on `day`, in the taxonomy's order (for forms and the API)."""
    found = (regime_for(t.code, day) for t in taxonomy.service_types())
    return [r for r in found if r is not None]
