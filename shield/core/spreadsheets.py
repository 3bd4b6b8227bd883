"""CSV files a person opens in a spreadsheet: cells that cannot run as formulas, written as a stream.

A cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return, which some spreadsheets skip
before reading one of those) is a formula to Excel and LibreOffice: a username or reason typed as
`=HYPERLINK(...)` would run on the auditor's machine. Such cells get a leading apostrophe, which
the spreadsheet shows as text and hides.
"""

import csv
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV as the machine's code page unless it starts with a byte-order mark.
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object that hands back what is written, so csv.writer makes one line at a time."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The file line by line (for a StreamingHttpResponse): the header, then every row, all made safe."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])
