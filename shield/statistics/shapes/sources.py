"""The protected tables the shapes are made from: the `glotip` table set of a year, counted over
the user's statistics scope (`selectors.table_for`) and protected together
(`disclosure.protect`), so GLOTIP rows, the SDMX file and the spreadsheets of a year agree cell
for cell.
"""

from typing import Any

from shield.statistics.disclosure import ProtectedTable, protect
from shield.statistics.indicators import table_set_get
from shield.statistics.selectors import table_for

TABLE_SET = "glotip"
THRESHOLD = 5  # UNODC's: counts below 5 are published as <5


def glotip_tables(*, user: Any, year: int) -> list[ProtectedTable]:
    """PermissionError without statistics.view; DisclosureError when the tables cannot be protected."""
    spec = table_set_get(TABLE_SET)
    counted = [
        table_for(user=user, indicator=table.indicator, period=str(year), dimensions=table.dimensions)
        for table in spec.tables
    ]
    return protect(counted, threshold=THRESHOLD).tables


def protected_table(*, user: Any, indicator: str, period: str, dimensions: tuple[str, ...]) -> ProtectedTable:
    """One table, protected on its own. KeyError (unknown indicator), StatisticsRequestError (bad
    period or dimension), PermissionError, DisclosureError pass through to the caller."""
    counted = table_for(user=user, indicator=indicator, period=period, dimensions=dimensions)
    return protect([counted], threshold=THRESHOLD).tables[0]
