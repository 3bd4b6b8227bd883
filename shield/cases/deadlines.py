"""Legal deadlines kept as dated configuration (`data/deadline_rules.json`, DOMAIN.md §2).

Law 53/2024/QH15 (in force from 1 July 2025) asks for the initial verification of a report about
a possible trafficking victim within 3 days. A case follows the rule in force when it was reported,
so a later change of the law changes the file, not the code, and old cases keep their old rule.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from shield.core import dated_rules

if TYPE_CHECKING:
    from shield.cases.models import Case

DEFAULT_RULES = Path(__file__).resolve().parent / "data" / "deadline_rules.json"


@dataclass(frozen=True)
class DeadlineRule:
    law: str
    article: str
    effective_from: datetime.date
    days: int
    case_types: frozenset[str]
    description: str


def verification_rules() -> tuple[DeadlineRule, ...]:
    """The initial-verification rules, oldest first (read through the one dated-rules loader; a
    deployment may point `SHIELD_CASE_DEADLINE_RULES` at its own file)."""
    path = dated_rules.rules_path("SHIELD_CASE_DEADLINE_RULES", DEFAULT_RULES)
    return tuple(
        DeadlineRule(
            law=rule["law"],
            article=rule.get("article", ""),
            effective_from=rule.effective_from,
            days=int(rule["days"]),
            case_types=frozenset(rule["case_types"]),
            description=rule.get("description", ""),
        )
        for rule in dated_rules.load(path, "initial_verification")
    )


def rule_in_force(
    reported_at: datetime.datetime, case_type: str, rules: Sequence[DeadlineRule] | None = None
) -> DeadlineRule | None:
    """The newest rule in force on the (local) day of the report that covers this case type."""
    day = timezone.localdate(reported_at)
    chosen = None
    for rule in rules if rules is not None else verification_rules():
        if rule.effective_from <= day:
            chosen = rule
    if chosen is None or case_type not in chosen.case_types:
        return None
    return chosen


def verification_deadline(
    case: "Case", *, rules: Sequence[DeadlineRule] | None = None
) -> datetime.datetime | None:
    """When the initial verification of the report is due: `days` after `reported_at` under the rule
    in force when the case was reported; None when no rule covered it."""
    rule = rule_in_force(case.reported_at, case.case_type, rules)
    if rule is None:
        return None
    return case.reported_at + datetime.timedelta(days=rule.days)


def is_verification_done(case: "Case") -> bool:
    """The report has been verified once the case has left `registered` (identification started,
    assessment for a case needing none, or closure) or an identification decision is recorded.
    Nothing returns to `registered`, so the stage tells the first part."""
    from shield.cases.models import IdentificationDecision, Stage

    if case.stage != Stage.REGISTERED:
        return True
    return IdentificationDecision.objects.filter(case_id=case.pk).exists()


def is_verification_overdue(
    case: "Case", now: datetime.datetime | None = None, *, rules: Sequence[DeadlineRule] | None = None
) -> bool:
    """True when the deadline has passed and the report is still not verified."""
    deadline = verification_deadline(case, rules=rules)
    if deadline is None:
        return False
    if (now or timezone.now()) <= deadline:
        return False
    return not is_verification_done(case)
