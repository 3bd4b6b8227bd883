"""When the answer to a verification request is due: dated rules in `data/verification_deadlines.json`."""

import datetime
from pathlib import Path

from django.utils import timezone

from shield.core import dated_rules

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "data" / "verification_deadlines.json"


def answer_due(received_at: datetime.datetime) -> datetime.datetime | None:
    """`days` after receipt under the rule in force on the day received; None before any rule."""
    path = dated_rules.rules_path("SHIELD_RETURNS_VERIFICATION_RULES", DEFAULT_RULES)
    rules = dated_rules.load(path, "verification_answer")
    rule = dated_rules.in_force(rules, timezone.localdate(received_at))
    if rule is None:
        return None
    return received_at + datetime.timedelta(days=int(rule.get("days")))
