"""Any protected table, or any shape's rows, as CSV or XLSX a person opens in a spreadsheet.

Both are formula-safe: CSV through `shield.core.spreadsheets.csv_lines`; in XLSX every text cell is
an inline string, which no spreadsheet runs as a formula, after the same `safe_cell` guard (so a
sheet saved back as CSV stays safe). openpyxl is not among Shield's dependencies: the few XML parts
of a one-sheet workbook are written here. Only what disclosure control shows is written:
`<5` and `x` stay text, never the value behind them.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from xml.sax.saxutils import escape

from shield.core.spreadsheets import safe_cell
from shield.statistics.shapes.glotip import ShownTable
from shield.statistics.tables import TOTAL

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
SHEET_TITLE_MAX = 31  # Excel's limit


def table_rows(
    shown: ShownTable,
    *,
    dimension_label: Callable[[str], str] = str,
    category_label: Callable[[str, str], str] = lambda _dimension, code: code,
    total_label: str = "Total",
    value_label: str = "Value",
) -> tuple[list[str], list[list[str]]]:
    """One row per cell (inner cells and margins, in the table's order): its categories, then the
    value as disclosure control shows it."""
    table = shown.table
    header = [dimension_label(d) for d in table.dimensions] + [value_label]
    rows = []
    for key in table.keys():  # noqa: SIM118 (a Table, not a dict)
        labels = [
            total_label if code == TOTAL else category_label(d, code)
            for d, code in zip(table.dimensions, key, strict=True)
        ]
        rows.append([*labels, shown.display(key)])
    return header, rows


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = escape(_NOT_XML.sub("", safe_cell(value)))
    # An inline string is text to every spreadsheet: never a formula, never a number.
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def xlsx_bytes(header: Sequence[object], rows: Iterable[Sequence[object]], *, title: str = "Sheet1") -> bytes:
    """A workbook of one sheet (SpreadsheetML written directly: numbers stay numbers, every other
    cell is an inline string after the formula guard)."""
    lines = []
    for r, row in enumerate([header, *rows], start=1):
        cells = "".join(_cell(f"{_column(c)}{r}", value) for c, value in enumerate(row, start=1))
        lines.append(f'<row r="{r}">{cells}</row>')
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )
    name = escape((title or "Sheet1")[:SHEET_TITLE_MAX], {'"': "&quot;"})
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()
