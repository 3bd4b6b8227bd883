import datetime
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from shield.core import dated_rules


def _write(tmp_path: Path, rules: list[dict[str, object]]) -> Path:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"note": "test", "rules": rules}), encoding="utf-8")
    return path


def _found(rule: dated_rules.DatedRule | None) -> dated_rules.DatedRule:
    assert rule is not None
    return rule


def test_the_newest_rule_in_force_on_the_day_wins_and_an_ended_rule_stops(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"effective_from": "2025-07-01", "urgency": "routine", "hours": 72},
            {"effective_from": "2026-01-01", "effective_to": "2026-06-30", "urgency": "routine", "hours": 48},
            {"effective_from": "2025-07-01", "urgency": "urgent", "hours": 24},
        ],
    )
    rules = dated_rules.load(path, "rules")
    assert dated_rules.in_force(rules, datetime.date(2025, 6, 30), urgency="routine") is None
    assert _found(dated_rules.in_force(rules, datetime.date(2025, 12, 31), urgency="routine"))["hours"] == 72
    assert _found(dated_rules.in_force(rules, datetime.date(2026, 1, 1), urgency="routine"))["hours"] == 48
    assert _found(dated_rules.in_force(rules, datetime.date(2026, 6, 30), urgency="routine"))["hours"] == 48
    # After its end the newer rule no longer covers the day; the older open-ended one does.
    assert _found(dated_rules.in_force(rules, datetime.date(2026, 7, 1), urgency="routine"))["hours"] == 72
    assert _found(dated_rules.in_force(rules, datetime.date(2026, 7, 1), urgency="urgent"))["hours"] == 24


def test_an_override_is_laid_over_the_file_from_its_first_day_and_a_newer_law_still_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only this test's source (apps register theirs at start-up, and theirs read the database).
    monkeypatch.setattr(dated_rules, "_override_sources", [])
    path = _write(
        tmp_path,
        [
            {"effective_from": "2026-01-01", "key": "first_interview", "hours": 72, "verified": False},
            {"effective_from": "2027-01-01", "key": "first_interview", "hours": 36, "verified": True},
        ],
    )

    def source(rule_sets: Sequence[str]) -> dict[str, list[dated_rules.Override]]:
        return {
            "test:rules": [
                dated_rules.Override(
                    key="first_interview",
                    field_name="hours",
                    value=48,
                    effective_from=datetime.date(2026, 3, 1),
                    verified=True,
                    note={"reason": "confirmed"},
                )
            ]
        }

    dated_rules.register_override_source(source)
    rules = dated_rules.with_overrides(dated_rules.load(path, "rules"), "test:rules")
    assert (
        _found(dated_rules.in_force(rules, datetime.date(2026, 2, 28), key="first_interview"))["hours"] == 72
    )
    chosen = _found(dated_rules.in_force(rules, datetime.date(2026, 3, 1), key="first_interview"))
    assert chosen["hours"] == 48
    assert chosen["verified"] is True
    assert chosen["override"] == {"reason": "confirmed"}
    assert (
        _found(dated_rules.in_force(rules, datetime.date(2027, 1, 1), key="first_interview"))["hours"] == 36
    )
    # Another rule set is not touched.
    other = dated_rules.with_overrides(dated_rules.load(path, "rules"), "other")
    assert (
        _found(dated_rules.in_force(other, datetime.date(2026, 3, 1), key="first_interview"))["hours"] == 72
    )
