import datetime

import pytest

from shield.statistics.periods import Period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ("2025-Q3", datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        (" 2025-12 ", datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)),
    ],
)
def test_periods_parse_to_their_days(text: str, start: datetime.date, end: datetime.date) -> None:
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert Period.parse(period.code) == period


@pytest.mark.parametrize("text", ["", "25", "2025-Q5", "2025-13", "2025-1", "2025/07", "year", "1800"])
def test_bad_periods_are_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"Not a period|out of range"):
        Period.parse(text)


def test_periods_start_and_end_in_viet_nam() -> None:
    period = Period.parse("2025")
    assert period.start_at.isoformat() == "2025-01-01T00:00:00+07:00"
    assert period.end_before.isoformat() == "2026-01-01T00:00:00+07:00"


def test_labels_months_and_quarters() -> None:
    year = Period.parse("2025")
    assert year.label("vi") == "Năm 2025"
    assert Period.parse("2025-Q3").label("vi") == "Quý 3/2025"
    assert Period.parse("2025-07").label("en") == "July 2025"
    assert [p.code for p in year.quarters()] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert [p.code for p in Period.parse("2025-Q2").months()] == ["2025-04", "2025-05", "2025-06"]
    assert len(year.months()) == 12
    assert Period.parse("2025-08").quarters() == [Period.parse("2025-Q3")]
