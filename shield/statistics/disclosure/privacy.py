"""Differential privacy on counted tables: OpenDP's Laplace mechanism on integer counts.

Each cell gets independent noise from OpenDP's discrete Laplace (`make_laplace` over integers),
scale = sensitivity / epsilon, and is then clipped at zero (post-processing costs no privacy).

Sensitivity: the largest change in the whole table (L1 distance) when one person is added or
removed. A person counts once in each of the cells whose key names their category or TOTAL in each
dimension. Along an additive dimension that is 2 positions (the category and the margin); along a
non-additive one (several forms of exploitation) a person can be in every category and the margin,
so `categories + 1`. The table's sensitivity is the product over dimensions (1 with no dimension).
Every table published from the same data spends its own epsilon: the ledger
(`shield.statistics.models.PrivacySpend`) adds them up per dataset and period.
"""

from dataclasses import dataclass
from math import prod

from shield.statistics.tables import Count, Key, Table


def sensitivity(table: Table) -> int:
    return prod(
        2 if additive else len(cats) + 1
        for cats, additive in zip(table.categories, table.additive, strict=True)
    )


@dataclass(frozen=True)
class NoisyTable:
    table: Table  # the noisy counts (value = records = low = the noisy figure)
    epsilon: float
    scale: float
    sensitivity: int


def laplace_counts(values: list[int], *, scale: float) -> list[int]:
    """Integer counts with OpenDP discrete Laplace noise of the given scale added to each."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    measurement = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale
    )
    return [int(v) for v in measurement(values)]


def add_noise(table: Table, *, epsilon: float) -> NoisyTable:
    """The table with every cell noised so that the whole table is epsilon-differentially private.

    The noisy table does not add up (every cell and margin is noised on its own), and its cells are
    all events-like counts: records and the pending-review range are not published under DP.
    """
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    delta = sensitivity(table)
    scale = delta / epsilon
    keys: list[Key] = list(table.keys())
    noisy = laplace_counts([table.cells[k].value for k in keys], scale=scale)
    cells = {k: Count.events(max(0, v)) for k, v in zip(keys, noisy, strict=True)}
    result = Table(
        indicator=table.indicator,
        unit=table.unit,
        period=table.period,
        dimensions=table.dimensions,
        categories=table.categories,
        additive=table.additive,
        cells=cells,
    )
    return NoisyTable(table=result, epsilon=epsilon, scale=scale, sensitivity=delta)
