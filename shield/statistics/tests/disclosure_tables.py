"""Build counted tables for the disclosure tests from their inner cells (margins are summed)."""

from collections.abc import Mapping, Sequence
from itertools import product

import numpy as np
from scipy.optimize import linprog

from shield.statistics.tables import TOTAL, Count, Key, Table


def additive_table(
    inner: Mapping[Key, int],
    categories: Sequence[Sequence[str]],
    *,
    dimensions: Sequence[str] = ("sex", "age", "citizenship"),
    indicator: str = "victims_detected",
    period: str = "2025",
) -> Table:
    """A table whose margins are the sums of its inner cells along every dimension."""
    cats = tuple(tuple(c) for c in categories)
    cells: dict[Key, Count] = {}
    for key in product(*[(*c, TOTAL) for c in cats]):
        choices = [c if k == TOTAL else (k,) for k, c in zip(key, cats, strict=True)]
        value = sum(inner[k] for k in product(*choices))
        cells[key] = Count.events(value)
    return Table(
        indicator=indicator,
        unit="persons",
        period=period,
        dimensions=tuple(dimensions[: len(cats)]),
        categories=cats,
        additive=(True,) * len(cats),
        cells=cells,
    )


def grid(rows: Sequence[Sequence[int]], **kwargs: object) -> Table:
    """A two-way table (sex x age) from a list of rows of inner values."""
    row_names = [f"r{i}" for i in range(len(rows))]
    col_names = [f"c{j}" for j in range(len(rows[0]))]
    inner = {(r, c): rows[i][j] for i, r in enumerate(row_names) for j, c in enumerate(col_names)}
    return additive_table(inner, [row_names, col_names], **kwargs)  # type: ignore[arg-type]


def brute_interval(
    tables: Sequence[Table], printed: Mapping[tuple[int, Key], bool], target: tuple[int, Key]
) -> tuple[float, float | None]:
    """An independent audit for the tests: one LP over every cell of every table, no substitution.

    Linked cells are tied by explicit equalities; margins by the additive equations.
    """
    names = [(t, key) for t, table in enumerate(tables) for key in table.keys()]  # noqa: SIM118 (Table.keys, not a dict)
    column = {name: i for i, name in enumerate(names)}
    rows: list[dict[int, float]] = []
    rhs: list[float] = []
    for t, table in enumerate(tables):
        for key in table.keys():  # noqa: SIM118 (Table.keys, not a dict)
            for d, cats in enumerate(table.categories):
                if key[d] == TOTAL and table.additive[d]:
                    row = {column[(t, key)]: 1.0}
                    for c in cats:
                        other = column[(t, (*key[:d], c, *key[d + 1 :]))]
                        row[other] = row.get(other, 0.0) - 1.0
                    rows.append(row)
                    rhs.append(0.0)
    identity: dict[tuple[str, frozenset[tuple[str, str]]], int] = {}
    for t, table in enumerate(tables):
        for key in table.keys():  # noqa: SIM118 (Table.keys, not a dict)
            pairs = frozenset((d, c) for d, c in zip(table.dimensions, key, strict=True) if c != TOTAL)
            name = (table.indicator, pairs)
            if name in identity:
                rows.append({identity[name]: 1.0, column[(t, key)]: -1.0})
                rhs.append(0.0)
            else:
                identity[name] = column[(t, key)]
    for (t, key), shown in printed.items():
        if shown:
            rows.append({column[(t, key)]: 1.0})
            rhs.append(float(tables[t].cells[key].value))
    matrix = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for j, coefficient in row.items():
            matrix[i, j] += coefficient
    bounds: list[float | None] = []
    for sign in (1.0, -1.0):
        objective = np.zeros(len(names))
        objective[column[target]] = sign
        result = linprog(objective, A_eq=matrix, b_eq=np.array(rhs), bounds=(0, None), method="highs")
        bounds.append(None if result.status == 3 else sign * float(result.fun))
    return (bounds[0] or 0.0, bounds[1])
