"""Rules and deadlines kept as dated data: one loader and one "which rule was in force" for every app.

A rule file is JSON: `{"note": "...", "<set>": [{"effective_from": "YYYY-MM-DD", "effective_to":
"YYYY-MM-DD" (optional, inclusive), ...fields}]}`. A record follows the rule in force on the (local)
day it started, so a change of law changes the file, not the code, and old records keep their rule.
Each app keeps its files under `<app>/data/` and may let a deployment point at its own file through
a setting. `in_force` picks, among the rules that match the given fields, the one with the latest
`effective_from` on or before the day that has not ended before it.
"""

import datetime
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class DatedRule:
    effective_from: datetime.date
    effective_to: datetime.date | None
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def covers(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def rules_path(setting: str, default: Path) -> Path:
    """The file a deployment configured under `setting`, else the app's own."""
    return Path(getattr(settings, setting, default))


@cache
def load(path: Path, rule_set: str) -> tuple[DatedRule, ...]:
    """The rules of `rule_set` in `path`, oldest first. Cached per file: the files change on deploy."""
    with path.open(encoding="utf-8") as handle:
        raw = json.load(handle)[rule_set]
    rules = []
    for item in raw:
        ends = item.get("effective_to")
        rules.append(
            DatedRule(
                effective_from=datetime.date.fromisoformat(item["effective_from"]),
                effective_to=datetime.date.fromisoformat(ends) if ends else None,
                fields={k: v for k, v in item.items() if k not in ("effective_from", "effective_to")},
            )
        )
    return tuple(sorted(rules, key=lambda r: r.effective_from))


def in_force(rules: Iterable[DatedRule], day: datetime.date, **match: Any) -> DatedRule | None:
    """The newest rule covering `day` whose fields equal every `match` value (None: no rule)."""
    chosen = None
    for rule in rules:
        matches = all(rule.get(key) == value for key, value in match.items()) and rule.covers(day)
        if matches and (chosen is None or rule.effective_from >= chosen.effective_from):
            chosen = rule
    return chosen


# Values an administrator set on top of the files. Core holds no table for them: an app that keeps
# such values registers a source (a function answering the overrides of one named rule set), and
# `with_overrides` lays them over the file's rules. A file's rules stay untouched by `load`.


@dataclass(frozen=True)
class Override:
    """One field of the rule `key` of a rule set set to `value` from `effective_from`."""

    key: str
    field_name: str
    value: Any
    effective_from: datetime.date
    verified: bool
    note: Mapping[str, Any] = field(default_factory=dict)


# A source answers, for the named rule sets, the overrides of each (one query for them all).
OverrideSource = Callable[[Sequence[str]], Mapping[str, Iterable[Override]]]
_override_sources: list[OverrideSource] = []


def register_override_source(source: OverrideSource) -> None:
    """Add a source of administrator-set values (registering the same source twice is a no-op)."""
    if source not in _override_sources:
        _override_sources.append(source)


def overrides_for(rule_sets: Sequence[str]) -> dict[str, list[Override]]:
    """Every registered source's overrides of the named rule sets, by rule set."""
    found: dict[str, list[Override]] = {name: [] for name in rule_sets}
    for source in _override_sources:
        for name, items in source(rule_sets).items():
            if name in found:
                found[name].extend(items)
    return found


def with_overrides(
    rules: Iterable[DatedRule],
    rule_set: str,
    *,
    overrides: Iterable[Override] | None = None,
    key_field: str = "key",
) -> tuple[DatedRule, ...]:
    """The file's `rules` of the set named `rule_set` with its overrides (given, else asked of the
    registered sources) laid on top: each override becomes a rule copying the rule of its key in
    force on its first day, with its field set, `verified` set and `override` holding its note. A
    newer rule of the file (a change of law) still wins from its own first day."""
    base = tuple(rules)
    items = overrides_for([rule_set])[rule_set] if overrides is None else list(overrides)
    added: list[DatedRule] = []
    for item in items:
        under = in_force(base, item.effective_from, **{key_field: item.key})
        if under is None:
            candidates = [r for r in base if r.get(key_field) == item.key]
            if not candidates:
                continue
            under = candidates[0]
        fields = dict(under.fields)
        fields[item.field_name] = item.value
        fields["verified"] = item.verified
        fields["override"] = dict(item.note)
        added.append(DatedRule(effective_from=item.effective_from, effective_to=None, fields=fields))
    # Sorted stably: on the same first day an override comes after the file's rule, so it wins.
    ordered = base + tuple(sorted(added, key=lambda r: r.effective_from))
    return tuple(sorted(ordered, key=lambda r: r.effective_from))
