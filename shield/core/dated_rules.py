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
from collections.abc import Iterable, Mapping
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
