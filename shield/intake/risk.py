"""The risk of one screening, with the answers that drove it. No database: a definition and answers in.

- Every observed indicator adds its weight (a choice adds its chosen option's weight); the score
  against the instrument's thresholds gives low, medium (safe-migration advice due) or high
  (referral due).
- A `strong` indicator observed makes the result high on its own, whatever the score.
- A traveller under 18 (by date of birth on the day of the screening, or the officer's estimate)
  who travels for a purpose the child rule lists (work, marriage) or shows one of its indicators is
  moved for exploitation: Law 53/2024/QH15 Art. 2 makes that trafficking even without force or
  deception, so the result is critical (urgent protection of a child) whatever the means.

The result names every answer that counted, so the officer and the receiving agency see why.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from shield.intake.instruments import Definition

CHILD_RULE = "child_rule"


class RiskLevel(models.TextChoices):
    NONE = "none", _("No indicators")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium: give safe-migration advice")
    HIGH = "high", _("High: refer for identification")
    CRITICAL = "critical", _("Critical: a child moved for exploitation")


class Outcome(models.TextChoices):
    NO_CONCERN = "no_concern", _("No concern")
    ADVICE = "safe_migration_advice", _("Safe-migration advice given")
    REFERRED = "referred", _("Referred for identification")
    CHILD_PROTECTION = "child_protection", _("Urgent protection of a child")


# Outcomes that hand the person to another agency (in one transaction, see services.screening_complete).
REFERRAL_OUTCOMES = frozenset({Outcome.REFERRED, Outcome.CHILD_PROTECTION})

# Which outcomes each level allows: the officer may always do more than the result asks, never less.
ALLOWED_OUTCOMES: dict[str, frozenset[str]] = {
    RiskLevel.NONE: frozenset(Outcome.values),
    RiskLevel.LOW: frozenset(Outcome.values),
    RiskLevel.MEDIUM: frozenset({Outcome.ADVICE, Outcome.REFERRED, Outcome.CHILD_PROTECTION}),
    RiskLevel.HIGH: frozenset({Outcome.REFERRED, Outcome.CHILD_PROTECTION}),
    RiskLevel.CRITICAL: frozenset({Outcome.CHILD_PROTECTION}),
}
SUGGESTED_OUTCOME: dict[str, str] = {
    RiskLevel.NONE: Outcome.NO_CONCERN,
    RiskLevel.LOW: Outcome.NO_CONCERN,
    RiskLevel.MEDIUM: Outcome.ADVICE,
    RiskLevel.HIGH: Outcome.REFERRED,
    RiskLevel.CRITICAL: Outcome.CHILD_PROTECTION,
}


@dataclass(frozen=True)
class Reason:
    """One answer that counted: the indicator's code, the option chosen (choices), its weight."""

    code: str
    weight: int
    strong: bool = False
    option: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "weight": self.weight, "strong": self.strong, "option": self.option}


@dataclass(frozen=True)
class RiskResult:
    level: str
    score: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    child_moved_for_exploitation: bool = False
    strong: bool = False

    @property
    def suggested_outcome(self) -> str:
        return SUGGESTED_OUTCOME[self.level]

    @property
    def allowed_outcomes(self) -> frozenset[str]:
        return ALLOWED_OUTCOMES[self.level]


def clean_answers(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers the definition knows: True for an observed boolean, an option's code for a
    choice. Anything else (an unknown code, an option the choice does not have) is dropped."""
    clean: dict[str, Any] = {}
    for indicator in definition.indicators():
        value = answers.get(indicator.code)
        if indicator.type == "boolean" and value in (True, "on", "true", "1", "yes", 1):
            clean[indicator.code] = True
        elif indicator.type == "choice" and isinstance(value, str) and indicator.option(value):
            clean[indicator.code] = value
    return clean


def assess(
    definition: Definition, answers: Mapping[str, Any], *, age: int | None, purpose: str = ""
) -> RiskResult:
    """The risk of these answers for a traveller of `age` (None: unknown) travelling for `purpose`."""
    answers = clean_answers(definition, answers)
    reasons: list[Reason] = []
    for indicator in definition.indicators():
        value = answers.get(indicator.code)
        if value is True:
            reasons.append(Reason(indicator.code, indicator.weight, indicator.strong))
        elif isinstance(value, str):
            option = indicator.option(value)
            if option is not None and (option.weight or indicator.strong):
                reasons.append(Reason(indicator.code, option.weight, indicator.strong, option.code))
    score = sum(r.weight for r in reasons)
    strong = any(r.strong for r in reasons)
    child = (
        age is not None
        and age < definition.child_age_below
        and (
            purpose in definition.child_purposes
            or any(r.code in definition.child_indicators for r in reasons)
        )
    )
    if child:
        reasons.insert(0, Reason(CHILD_RULE, 0, True))
        level = RiskLevel.CRITICAL
    elif strong or score >= definition.referral_threshold:
        level = RiskLevel.HIGH
    elif score >= definition.advice_threshold:
        level = RiskLevel.MEDIUM
    elif score > 0:
        level = RiskLevel.LOW
    else:
        level = RiskLevel.NONE
    # Heaviest first, so the explanation starts with what mattered most.
    ordered = sorted(reasons, key=lambda r: (r.code != CHILD_RULE, not r.strong, -r.weight))
    return RiskResult(
        level=level, score=score, reasons=tuple(ordered), child_moved_for_exploitation=child, strong=strong
    )
