"""Birth dates of every precision, and who counts as a child on a given day."""

import datetime

import pytest

from shield.people import birth_dates
from shield.people.models import BirthDatePrecision, Person

D = datetime.date


def child(precision, *, on, birth_date=None, estimated_age=None, age_estimated_on=None):
    person = Person(
        birth_date_precision=precision,
        birth_date=birth_date,
        estimated_age=estimated_age,
        age_estimated_on=age_estimated_on,
    )
    return person.is_child(on)


def test_with_an_exact_date_a_person_is_a_child_until_their_eighteenth_birthday():
    born = D(2008, 6, 15)
    assert child(BirthDatePrecision.DAY, birth_date=born, on=D(2026, 6, 14)) is True
    assert child(BirthDatePrecision.DAY, birth_date=born, on=D(2026, 6, 15)) is False


def test_born_on_29_february_comes_of_age_on_28_february():
    assert child(BirthDatePrecision.DAY, birth_date=D(2008, 2, 29), on=D(2026, 2, 27)) is True
    assert child(BirthDatePrecision.DAY, birth_date=D(2008, 2, 29), on=D(2026, 2, 28)) is False


def test_with_a_month_the_last_day_of_the_month_decides():
    # Stored as 1 June 2008; could have been born as late as 30 June.
    assert child(BirthDatePrecision.MONTH, birth_date=D(2008, 6, 1), on=D(2026, 6, 29)) is True
    assert child(BirthDatePrecision.MONTH, birth_date=D(2008, 6, 1), on=D(2026, 6, 30)) is False


def test_with_a_year_the_person_is_a_child_until_the_end_of_their_eighteenth_year():
    assert child(BirthDatePrecision.YEAR, birth_date=D(2008, 1, 1), on=D(2026, 12, 30)) is True
    assert child(BirthDatePrecision.YEAR, birth_date=D(2008, 1, 1), on=D(2026, 12, 31)) is False
    assert child(BirthDatePrecision.YEAR, birth_date=D(2008, 1, 1), on=D(2027, 1, 1)) is False


def test_with_an_estimated_age_the_youngest_reading_decides():
    # "About 17" on 1 March 2025: born 2 March 2007 at the latest ... 1 March 2008 at the earliest.
    kw = {"estimated_age": 17, "age_estimated_on": D(2025, 3, 1)}
    assert child(BirthDatePrecision.ESTIMATED_AGE, on=D(2026, 2, 28), **kw) is True
    assert child(BirthDatePrecision.ESTIMATED_AGE, on=D(2026, 3, 1), **kw) is False
    kw = {"estimated_age": 18, "age_estimated_on": D(2025, 3, 1)}
    assert child(BirthDatePrecision.ESTIMATED_AGE, on=D(2025, 3, 1), **kw) is False


def test_unknown_age_is_neither_child_nor_adult():
    assert child(BirthDatePrecision.UNKNOWN, on=D(2026, 1, 1)) is None
    assert child(BirthDatePrecision.ESTIMATED_AGE, on=D(2026, 1, 1)) is None


def test_is_child_defaults_to_today():
    person = Person(
        birth_date_precision=BirthDatePrecision.DAY, birth_date=D.today() - datetime.timedelta(days=400)
    )
    assert person.is_child() is True


@pytest.mark.parametrize(
    ("precision", "given", "stored"),
    [
        (BirthDatePrecision.DAY, D(1995, 3, 14), D(1995, 3, 14)),
        (BirthDatePrecision.MONTH, D(1995, 3, 14), D(1995, 3, 1)),
        (BirthDatePrecision.YEAR, D(1995, 3, 14), D(1995, 1, 1)),
    ],
)
def test_month_and_year_precision_store_the_first_day(precision, given, stored):
    facts = birth_dates.stored_birth(
        precision=precision, birth_date=given, estimated_age=None, age_estimated_on=None
    )
    assert facts == birth_dates.BirthFacts(stored, 1995)


def test_an_estimated_age_stores_an_approximate_date_within_its_window():
    facts = birth_dates.stored_birth(
        precision=BirthDatePrecision.ESTIMATED_AGE,
        birth_date=None,
        estimated_age=30,
        age_estimated_on=D(2025, 7, 1),
    )
    assert facts.birth_date is not None
    assert D(1994, 7, 2) <= facts.birth_date <= D(1995, 7, 1)
    assert facts.birth_year == facts.birth_date.year
