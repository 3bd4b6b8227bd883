"""Primary suppression: the cells too small to print.

A cell is primary when `0 < value < threshold` (UNODC prints such a count as `<5`). Zeros are
printed: UNODC publishes them, and a zero says that nobody with those characteristics was counted,
not who was. A zero can still disclose in one design: when the only non-zero cell of a row is a
small one, the zeros beside it tell that the whole (small) margin shares that category. Here that
margin is small too, so it is primary itself, and secondary suppression then makes sure it cannot
be worked out from anything printed; the zeros add no equation the audit does not already hold.
"""

from shield.statistics.tables import Key, Table


def primary_keys(table: Table, threshold: int) -> list[Key]:
    """The keys of the cells that must be suppressed for their own sake, in display order."""
    return [key for key in table.keys() if 0 < table.cells[key].value < threshold]  # noqa: SIM118 (Table.keys, not a dict)
