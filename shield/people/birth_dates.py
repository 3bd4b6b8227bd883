"""Birth dates known only to a month, a year, or as an age someone estimated, and what follows
from them: the year to filter by, and whether the person is a child on a given day.

No database. The precisions are the values of `Person.BirthDatePrecision`.
"""

import calendar
import datetime
from dataclasses import dataclass

DAY = "day"
MONTH = "month"
YEAR = "year"
ESTIMATED_AGE = "estimated_age"
UNKNOWN = "unknown"

AGE_OF_MAJORITY = 18
MAX_ESTIMATED_AGE = 120


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier); 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class BirthFacts:
    """The stored form of what is known of a birth date."""

    birth_date: datetime.date | None
    birth_year: int | None


def stored_birth(
    *,
    precision: str,
    birth_date: datetime.date | None,
    estimated_age: int | None,
    age_estimated_on: datetime.date | None,
) -> BirthFacts:
    """The date to store and the year to filter by.

    Month and year precision store the first day of the month or year. An estimated age stores
    an approximate date half a year before the birthday the estimate implies (so the year is the
    likelier of the two the estimate spans).
    """
    if precision == ESTIMATED_AGE and estimated_age is not None and age_estimated_on is not None:
        approx = add_years(age_estimated_on, -estimated_age) - datetime.timedelta(days=182)
        return BirthFacts(approx, approx.year)
    if birth_date is None or precision in (UNKNOWN, ESTIMATED_AGE):
        return BirthFacts(None, None)
    if precision == MONTH:
        birth_date = birth_date.replace(day=1)
    elif precision == YEAR:
        birth_date = birth_date.replace(month=1, day=1)
    return BirthFacts(birth_date, birth_date.year)


def latest_possible_birth(
    *,
    precision: str,
    birth_date: datetime.date | None,
    estimated_age: int | None,
    age_estimated_on: datetime.date | None,
) -> datetime.date | None:
    """The last day the person can have been born on, given what was recorded; None if unknown.

    Day: the date. Month: the month's last day. Year: 31 December. Estimated age A on date E: the
    day A years before E (anyone born later would have been younger than A on E).
    """
    if precision == ESTIMATED_AGE:
        if estimated_age is None or age_estimated_on is None:
            return None
        return add_years(age_estimated_on, -estimated_age)
    if birth_date is None:
        return None
    if precision == DAY:
        return birth_date
    if precision == MONTH:
        return birth_date.replace(day=calendar.monthrange(birth_date.year, birth_date.month)[1])
    if precision == YEAR:
        return birth_date.replace(month=12, day=31)
    return None


def is_child(
    *,
    on: datetime.date,
    precision: str,
    birth_date: datetime.date | None,
    estimated_age: int | None,
    age_estimated_on: datetime.date | None,
) -> bool | None:
    """Whether the person is under 18 on `on`; None when nothing is known of their birth.

    Protection first: when the birth date is known only to a month, a year or an estimated age,
    the person counts as a child if *any* birth date consistent with the record makes them under
    18 on that day, i.e. if the latest possible birth date does. Someone recorded as born in 2008
    is a child until 31 December 2026; someone estimated to be 17 on 1 March 2025 is a child
    until 1 March 2026.
    """
    latest = latest_possible_birth(
        precision=precision,
        birth_date=birth_date,
        estimated_age=estimated_age,
        age_estimated_on=age_estimated_on,
    )
    if latest is None:
        return None
    return on < add_years(latest, AGE_OF_MAJORITY)
