"""What the children part registers when the app starts: the administrator's rule values as an
override source of `shield.core.dated_rules`, and its work queues."""

from collections.abc import Mapping, Sequence

from shield.core import dated_rules


def rule_values(rule_sets: Sequence[str]) -> Mapping[str, list[dated_rules.Override]]:
    """The values administrators set (`RuleValue`) for the named rule sets, in one query."""
    from shield.justice.models import RuleValue

    found: dict[str, list[dated_rules.Override]] = {}
    rows = (
        RuleValue.objects.filter(rule_set__in=list(rule_sets)).select_related("set_by").order_by("created_at")
    )
    for row in rows:
        found.setdefault(row.rule_set, []).append(
            dated_rules.Override(
                key=row.key,
                field_name=row.field,
                value=row.value,
                effective_from=row.effective_from,
                verified=row.verified,
                note={
                    "reason": row.reason,
                    "set_by": row.set_by.get_username(),
                    "set_on": row.created_at.date().isoformat(),
                },
            )
        )
    return found


def register() -> None:
    from shield.justice.children import queues

    dated_rules.register_override_source(rule_values)
    queues.register()
