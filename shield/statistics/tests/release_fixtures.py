"""Hand-built tables and the people who publish them, for the release tests.

Counting is the core part's to test: here `selectors.table_for` is replaced by tables built by hand
from a dict the test can change between builds (new data arriving between two releases).
"""

from collections.abc import Mapping
from itertools import product
from typing import Any

import pytest

from shield.accounts.models import User
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member
from shield.statistics import reports
from shield.statistics.tables import TOTAL, Count, Table, Unit

SEXES = ("female", "male", "other", "unknown")
AGES = ("0-17", "18+", "unknown")
CATEGORIES = {"sex": SEXES, "age_unodc": AGES}


def table(
    indicator: str, period: str, dimensions: tuple[str, ...], inner: Mapping[tuple[str, ...], int]
) -> Table:
    """A person table whose inner cells are `inner` (missing ones zero), with every margin summed."""
    cats = [CATEGORIES[d] for d in dimensions]
    cells: dict[tuple[str, ...], Count] = {}
    for key in product(*[(*c, TOTAL) for c in cats]):
        total = sum(
            value
            for inner_key, value in inner.items()
            if all(k in (TOTAL, ik) for k, ik in zip(key, inner_key, strict=True))
        )
        cells[key] = Count(total, total, total)
    return Table(
        indicator=indicator,
        unit=Unit.PERSONS,
        period=period,
        dimensions=dimensions,
        categories=tuple(tuple(c) for c in cats),
        additive=tuple(True for _ in dimensions),
        cells=cells,
    )


class HandCounts:
    """What `table_for` answers: inner cells per indicator, by sex and age."""

    def __init__(self) -> None:
        self.by_sex_age: dict[tuple[str, str], int] = {
            ("female", "0-17"): 3,
            ("female", "18+"): 40,
            ("male", "0-17"): 12,
            ("male", "18+"): 25,
            ("unknown", "unknown"): 2,
        }
        self.calls = 0

    def table_for(
        self, *, user: Any, indicator: str, period: str, dimensions: Any = (), filters: Any = None
    ) -> Table:
        self.calls += 1
        dims = tuple(dimensions)
        inner: dict[tuple[str, ...], int] = {}
        for (sex, age), value in self.by_sex_age.items():
            key = tuple({"sex": sex, "age_unodc": age}[d] for d in dims)
            inner[key] = inner.get(key, 0) + value
        return table(indicator, period, dims, inner)

    def tables_for(self, *, user: Any, requests: Any) -> list[Table]:
        return [
            self.table_for(
                user=user, indicator=r.indicator, period=r.period, dimensions=r.dimensions, filters=r.filters
            )
            for r in requests
        ]


SPECS = [
    reports.TableSpec("victims_detected", ()),
    reports.TableSpec("victims_detected", ("sex", "age_unodc")),
]


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> HandCounts:
    hand = HandCounts()
    monkeypatch.setattr(reports.selectors, "table_for", hand.table_for)
    monkeypatch.setattr(reports.selectors, "tables_for", hand.tables_for)
    monkeypatch.setattr(reports, "specs_of_set", lambda name: list(SPECS))
    return hand


@pytest.fixture
def ministry() -> Any:
    return AgencyFactory(code="gso", name_en="Statistics office")


@pytest.fixture
def statisticians(ministry: Any) -> tuple[User, User]:
    return (
        member(Role.STATISTICIAN, agency=ministry, scope=Scope.NATIONAL, username="stat.one"),
        member(Role.STATISTICIAN, agency=ministry, scope=Scope.NATIONAL, username="stat.two"),
    )
