"""How long a tip may wait for triage, by urgency, as dated configuration (`data/triage_deadlines.json`).

Urgent tips are triaged within one hour by default. A deployment changes the file (or points
`SHIELD_TIP_TRIAGE_RULES` at its own), not the code. A tip stores the deadline computed when it was
received, so a later change of the rules does not move the deadlines of tips already waiting.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from shield.core import dated_rules

DEFAULT_RULES = Path(__file__).resolve().parent / "data" / "triage_deadlines.json"


@dataclass(frozen=True)
class TriageRule:
    effective_from: datetime.date
    urgency: str
    minutes: int
    description: str


def triage_rules() -> tuple[TriageRule, ...]:
    """The triage rules, oldest first (through the one dated-rules loader; a deployment may point
    `SHIELD_TIP_TRIAGE_RULES` at its own file)."""
    path = dated_rules.rules_path("SHIELD_TIP_TRIAGE_RULES", DEFAULT_RULES)
    return tuple(
        TriageRule(
            effective_from=rule.effective_from,
            urgency=rule["urgency"],
            minutes=int(rule["minutes"]),
            description=rule.get("description", ""),
        )
        for rule in dated_rules.load(path, "rules")
    )


def rule_in_force(received_at: datetime.datetime, urgency: str) -> TriageRule | None:
    """The newest rule for this urgency in force on the (local) day the tip was received."""
    day = timezone.localdate(received_at)
    chosen = None
    for rule in triage_rules():
        if rule.urgency == urgency and rule.effective_from <= day:
            chosen = rule
    return chosen


def triage_deadline(received_at: datetime.datetime, urgency: str) -> datetime.datetime | None:
    rule = rule_in_force(received_at, urgency)
    if rule is None:
        return None
    return received_at + datetime.timedelta(minutes=rule.minutes)
