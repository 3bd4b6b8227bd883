"""Counted tables: what counting produces, and what disclosure control, charts, releases and the
international shapes read. Pure Python (no Django), so each of those can be tested on its own.

A table is one indicator for one period cut by zero or more dimensions. Its `cells` hold every
combination of the dimensions' categories (zeros included: a zero is a published fact too) and
every margin, where `TOTAL` stands for "all categories of this dimension". The grand total is the
key made only of `TOTAL`s (the empty key `()` for a table with no dimensions).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import product

# SDMX's code for "all categories" (SDMX-CSV uses it too), so a key reads the same everywhere.
TOTAL = "_T"

Key = tuple[str, ...]


class Unit:
    PERSONS = "persons"
    EVENTS = "events"


@dataclass(frozen=True)
class Count:
    """One cell.

    `value` is what is published: for a person indicator the unique individuals as the latest
    linkage run (and reviewers' merges) say, a person registered since counting as one of their
    own; for an event indicator the events. `records` is the person records behind it (equal to
    `value` for events). `low` is the value if every pending review pair were one person (so
    `low <= value`; equal for events): the count is somewhere in `low..value`.
    """

    value: int
    records: int
    low: int

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.value <= max(self.records, self.value):
            raise ValueError(f"inconsistent count {self}")

    @classmethod
    def events(cls, n: int) -> "Count":
        return cls(value=n, records=n, low=n)

    @property
    def uncertain(self) -> bool:
        return self.low != self.value


ZERO = Count(0, 0, 0)


@dataclass(frozen=True)
class Table:
    indicator: str
    unit: str
    period: str  # "2025", "2025-Q3", "2025-07", or "2021..2025" for a span
    dimensions: tuple[str, ...]
    # The categories of each dimension in display order, zeros included, TOTAL excluded.
    categories: tuple[tuple[str, ...], ...]
    # False where one unit can fall in several categories (one person, several forms of
    # exploitation): that margin is not the sum of its categories, so no equation links them.
    additive: tuple[bool, ...]
    cells: dict[Key, Count] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.dimensions)
        if len(self.categories) != n or len(self.additive) != n:
            raise ValueError("one category list and one additivity flag per dimension")
        missing = [key for key in self.keys() if key not in self.cells]
        if missing:
            raise ValueError(f"{self.indicator}: cells missing, e.g. {missing[0]}")

    def keys(self) -> Iterator[Key]:
        """Every key: inner cells and margins, in display order (margins last in each dimension)."""
        return iter(product(*[(*cats, TOTAL) for cats in self.categories]))

    def inner_keys(self) -> Iterator[Key]:
        return iter(product(*self.categories))

    @property
    def total(self) -> Count:
        return self.cells[(TOTAL,) * len(self.dimensions)]

    def get(self, **values: str) -> Count:
        """The cell for dimension=value pairs, TOTAL for any dimension not named."""
        unknown = set(values) - set(self.dimensions)
        if unknown:
            raise KeyError(f"not a dimension of this table: {sorted(unknown)}")
        return self.cells[tuple(values.get(d, TOTAL) for d in self.dimensions)]
