"""When a referral must be answered, and when an accepted one should reach its outcome.

Dated configuration `shield/referrals/data/referral_deadlines.json`, read through
`shield.core.dated_rules` (the one loader): the answer is due `hours` after sending by the rule of
the referral's urgency in force that day, unless the service sets its own `response_hours`; the
outcome is due `days` after acceptance. A referral stores both deadlines when they start, so a later
change of the file does not move deadlines already running.
"""

import datetime
from pathlib import Path

from django.utils import timezone

from shield.core import dated_rules

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "data" / "referral_deadlines.json"
SETTING = "SHIELD_REFERRAL_DEADLINE_RULES"
# When no rule covers the day (before the first one, or a deployment's file omits an urgency).
FALLBACK_RESPONSE_HOURS = 72
FALLBACK_OUTCOME_DAYS = 30


def _rules(rule_set: str) -> tuple[dated_rules.DatedRule, ...]:
    return dated_rules.load(dated_rules.rules_path(SETTING, DEFAULT_RULES), rule_set)


def response_hours(*, urgency: str, sent_at: datetime.datetime, service_hours: int | None = None) -> int:
    """Hours the provider has to answer: the service's own, else the urgency's rule in force."""
    if service_hours:
        return int(service_hours)
    rule = dated_rules.in_force(_rules("response"), timezone.localdate(sent_at), urgency=urgency)
    return int(rule["hours"]) if rule is not None else FALLBACK_RESPONSE_HOURS


def respond_by(
    *, urgency: str, sent_at: datetime.datetime, service_hours: int | None = None
) -> datetime.datetime:
    return sent_at + datetime.timedelta(
        hours=response_hours(urgency=urgency, sent_at=sent_at, service_hours=service_hours)
    )


def outcome_due_days(accepted_at: datetime.datetime) -> int:
    rule = dated_rules.in_force(_rules("outcome"), timezone.localdate(accepted_at))
    return int(rule["days"]) if rule is not None else FALLBACK_OUTCOME_DAYS


def outcome_due_by(accepted_at: datetime.datetime) -> datetime.datetime:
    """When an accepted referral should have its outcome."""
    return accepted_at + datetime.timedelta(days=outcome_due_days(accepted_at))
