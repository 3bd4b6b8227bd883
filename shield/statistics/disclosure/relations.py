"""What an attacker knows: the numbers and the equations between them.

Every cell of every table is a *quantity*: an indicator for a period and unit, restricted to some
(dimension, category) pairs. Dropping the TOTAL dimensions makes the same number the same quantity
wherever it is printed: the grand total of `victims_detected` by sex x age and its grand total by
citizenship are one quantity, and "female, TOTAL age" equals "female" in a sex-only table.

A table gives two kinds of relation between its quantities:

- along an **additive** dimension, for every combination of the other dimensions' categories and
  TOTALs (so the whole hierarchy of margins), the margin equals the sum of its categories;
- along a **non-additive** dimension (one person in several forms of exploitation) no equation holds,
  only that a category is part of its margin: `category <= margin`. The attacker is given those
  inequalities too, which only makes the audit stricter.

`System` numbers the quantities of the tables being protected and of the tables earlier releases
published for the same period, and holds the relations as sparse rows.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from shield.statistics.tables import TOTAL, Key, Table


class DisclosureError(ValueError):
    """The tables cannot be published safely (or do not fit together); the message says why."""


@dataclass(frozen=True)
class Quantity:
    indicator: str
    unit: str
    period: str
    pairs: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Shape:
    """What a table's relations depend on: its identity, dimensions, categories and additivity."""

    indicator: str
    unit: str
    period: str
    dimensions: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    additive: tuple[bool, ...]

    @classmethod
    def of(cls, table: Table) -> "Shape":
        return cls(
            table.indicator,
            table.unit,
            table.period,
            table.dimensions,
            table.categories,
            table.additive,
        )

    def keys(self) -> Iterator[Key]:
        from itertools import product

        return iter(product(*[(*cats, TOTAL) for cats in self.categories]))

    def quantity(self, key: Key) -> Quantity:
        pairs = frozenset((d, c) for d, c in zip(self.dimensions, key, strict=True) if c != TOTAL)
        return Quantity(self.indicator, self.unit, self.period, pairs)


@dataclass(frozen=True)
class PublishedTable:
    """What an earlier release printed for a table: its shape and, per key, the figure printed or
    None where the cell was suppressed. Keys it does not name count as suppressed."""

    shape: Shape
    values: dict[Key, int | None]

    @classmethod
    def of(cls, table: Table, printed: dict[Key, int | None]) -> "PublishedTable":
        return cls(Shape.of(table), dict(printed))


Row = tuple[tuple[int, int], ...]  # (variable, coefficient) pairs, sorted


def shape_relations(shape: Shape, index: dict[Key, int]) -> tuple[list[Row], list[Row]]:
    """The equations (row . x == 0) and inequalities (row . x <= 0) one table gives."""
    equations: list[Row] = []
    inequalities: list[Row] = []
    for key in shape.keys():  # noqa: SIM118 (Table.keys, not a dict)
        for d, cats in enumerate(shape.categories):
            if key[d] != TOTAL or not cats:
                continue
            margin = index[key]
            parts = [index[(*key[:d], c, *key[d + 1 :])] for c in cats]
            if shape.additive[d]:
                coefficients: dict[int, int] = {margin: 1}
                for p in parts:
                    coefficients[p] = coefficients.get(p, 0) - 1
                row = tuple(sorted((v, c) for v, c in coefficients.items() if c))
                if row:
                    equations.append(row)
            else:
                for p in parts:
                    if p != margin:
                        inequalities.append(tuple(sorted(((p, 1), (margin, -1)))))
    return equations, inequalities


@dataclass
class System:
    """The quantities of the current tables (with their true values) and of earlier releases.

    `value[v]` is the true value of a current quantity (None for one only an earlier release
    printed). `known[v]` is a value the attacker already has from an earlier release; it is kept
    only where it still equals today's count (see `build`).
    """

    quantities: list[Quantity] = field(default_factory=list)
    value: list[int | None] = field(default_factory=list)
    known: dict[int, int] = field(default_factory=dict)
    equations: list[Row] = field(default_factory=list)
    inequalities: list[Row] = field(default_factory=list)
    # For each current table, its key -> variable map.
    table_index: list[dict[Key, int]] = field(default_factory=list)
    _ids: dict[Quantity, int] = field(default_factory=dict)

    def variable(self, quantity: Quantity) -> int:
        if quantity not in self._ids:
            self._ids[quantity] = len(self.quantities)
            self.quantities.append(quantity)
            self.value.append(None)
        return self._ids[quantity]

    @property
    def size(self) -> int:
        return len(self.quantities)

    def current(self) -> list[int]:
        return [v for v, a in enumerate(self.value) if a is not None]

    def components(self, free: Iterable[int]) -> list[list[int]]:
        """Groups of free variables that share a relation (each is audited on its own)."""
        free_set = set(free)
        parent = {v: v for v in free_set}

        def find(v: int) -> int:
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for row in (*self.equations, *self.inequalities):
            members = [v for v, _ in row if v in free_set]
            for other in members[1:]:
                a, b = find(members[0]), find(other)
                if a != b:
                    parent[b] = a
        groups: dict[int, list[int]] = {}
        for v in sorted(free_set):
            groups.setdefault(find(v), []).append(v)
        return list(groups.values())


def build(tables: Sequence[Table], published: Sequence["PublishedTable"]) -> System:
    """Number the quantities, check that linked cells agree, and collect every relation.

    An earlier release's figure for a quantity counted today is known to the attacker when it
    equals today's count. Where it differs, the count has been corrected since: the old figure
    describes data that no longer holds, so it is not an equation on today's counts. An earlier
    table whose relations cannot hold together with today's counts is left out for that reason.
    """
    system = System()
    equations: set[Row] = set()
    inequalities: set[Row] = set()
    for table in tables:
        shape = Shape.of(table)
        index: dict[Key, int] = {}
        for key in table.keys():  # noqa: SIM118 (Table.keys, not a dict)
            v = system.variable(shape.quantity(key))
            value = table.cells[key].value
            if system.value[v] is None:
                system.value[v] = value
            elif system.value[v] != value:
                raise DisclosureError(
                    f"{table.indicator} {table.period}: the cell {key} is {value} here and "
                    f"{system.value[v]} in another table of the same release"
                )
            index[key] = v
        system.table_index.append(index)
        eq, le = shape_relations(shape, index)
        equations.update(eq)
        inequalities.update(le)

    for earlier in published:
        shape = earlier.shape
        index = {key: system.variable(shape.quantity(key)) for key in shape.keys()}  # noqa: SIM118 (Table.keys, not a dict)
        eq, le = shape_relations(shape, index)
        facts = {index[k]: earlier.values.get(k) for k in shape.keys()}  # noqa: SIM118 (Table.keys, not a dict)
        if _consistent(system, eq, le, facts):
            equations.update(eq)
            inequalities.update(le)
            for v, figure in facts.items():
                if figure is not None and system.value[v] in (None, figure):
                    system.known[v] = figure
        else:
            for v, figure in facts.items():
                if figure is not None and system.value[v] == figure:
                    system.known[v] = figure
    system.equations = sorted(equations)
    system.inequalities = sorted(inequalities)
    return system


def _consistent(system: System, eq: list[Row], le: list[Row], facts: dict[int, int | None]) -> bool:
    """Whether an earlier table's relations can hold with today's counts and its own figures."""
    from shield.statistics.disclosure.linear import feasible

    fixed: dict[int, float] = {}
    for v, figure in facts.items():
        current = system.value[v] if v < len(system.value) else None
        if current is not None:
            fixed[v] = current
        elif figure is not None:
            fixed[v] = figure
    return feasible(eq, le, fixed)
