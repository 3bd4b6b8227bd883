"""Tables and protected tables made by hand, as counting and disclosure control hand them over."""

from dataclasses import dataclass, field
from itertools import product

from shield.statistics.tables import TOTAL, Count, Key, Table


def table(indicator: str, period: str, dims: dict[str, tuple[str, ...]], inner: dict[Key, int]) -> Table:
    """A table from its inner cells; margins summed (every dimension additive)."""
    names = tuple(dims)
    cats = tuple(dims.values())
    cells: dict[Key, Count] = {}
    for key in product(*[(*c, TOTAL) for c in cats]):
        n = sum(
            v for k, v in inner.items() if all(want in (TOTAL, got) for want, got in zip(key, k, strict=True))
        )
        cells[key] = Count(n, n, n)
    return Table(indicator, "persons", period, names, cats, tuple(True for _ in names), cells)


@dataclass
class Shown:
    """Primary suppression below 5 shown as `<5`; `secondary` keys shown as `x`."""

    table: Table
    secondary: set[Key] = field(default_factory=set)

    def display(self, key: Key) -> str:
        if key in self.secondary:
            return "x"
        value = self.table.cells[key].value
        return "<5" if 0 < value < 5 else str(value)
