import datetime
import json
from pathlib import Path

from shield.core import dated_rules


def _write(tmp_path: Path, rules: list[dict[str, object]]) -> Path:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"note": "test", "rules": rules}), encoding="utf-8")
    return path


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
    assert dated_rules.in_force(rules, datetime.date(2025, 12, 31), urgency="routine")["hours"] == 72  # type: ignore[index]
    assert dated_rules.in_force(rules, datetime.date(2026, 1, 1), urgency="routine")["hours"] == 48  # type: ignore[index]
    assert dated_rules.in_force(rules, datetime.date(2026, 6, 30), urgency="routine")["hours"] == 48  # type: ignore[index]
    # After its end the newer rule no longer covers the day; the older open-ended one does.
    assert dated_rules.in_force(rules, datetime.date(2026, 7, 1), urgency="routine")["hours"] == 72  # type: ignore[index]
    assert dated_rules.in_force(rules, datetime.date(2026, 7, 1), urgency="urgent")["hours"] == 24  # type: ignore[index]
