"""How long a tip may wait for triage, by urgency, as dated configuration (`data/triage_deadlines.json`).

Urgent tips are triaged within one hour by default. A deployment changes the file (or points
`SHIELD_TIP_TRIAGE_RULES` at its own), not the code. A tip stores the deadline computed when it was
received, so a later change of the rules does not move the deadlines of tips already waiting.
"""

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

DEFAULT_RULES = Path(__file__).resolve().parent / "data" / "triage_deadlines.json"


@dataclass(frozen=True)
class TriageRule:
    effective_from: datetime.date
    urgency: str
    minutes: int
    description: str


def _rules_path() -> Path:
    return Path(getattr(settings, "SHIELD_TIP_TRIAGE_RULES", DEFAULT_RULES))


@cache
def _load(path: Path) -> tuple[TriageRule, ...]:
    with path.open(encoding="utf-8") as handle:
        raw = json.load(handle)["rules"]
    rules = [
        TriageRule(
            effective_from=datetime.date.fromisoformat(item["effective_from"]),
            urgency=item["urgency"],
            minutes=int(item["minutes"]),
            description=item.get("description", ""),
        )
        for item in raw
    ]
    return tuple(sorted(rules, key=lambda r: r.effective_from))


def triage_rules() -> tuple[TriageRule, ...]:
    return _load(_rules_path())


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
