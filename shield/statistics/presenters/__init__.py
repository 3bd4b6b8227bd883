"""Counted tables as pages, files and charts show them: labels in the reader's language, the
count beside its records and its range, or — for what leaves Shield (downloads, the PDF) — the
value disclosure control lets out.

Two ways to show a cell:
- on a page for a user who may see statistics (`statistics.view`, aggregates of their scope):
  the unique individuals, the records behind them and the range low to value when pending review
  pairs make the count uncertain;
- in a file or printed report: `ProtectedTable.display(key)` only (a number, `<5` for a primary
  suppressed cell, the secondary mark for a cell suppressed to protect it); no records and no
  range, which could give a suppressed value away.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from shield.statistics import charts
from shield.statistics.dimensions import Dimension, dimension_get
from shield.statistics.disclosure import ProtectedTable
from shield.statistics.indicators import indicator_get
from shield.statistics.tables import TOTAL, Count, Key, Table


def language() -> str:
    return translation.get_language() or "vi"


def number(n: int) -> str:
    return number_format(n, force_grouping=True)


# Labels by code for each dimension object and language: a table of 34 provinces or 200
# citizenships looks each label up once, not by a scan of the categories per cell.
LABEL_MAPS_KEPT = 64
_LABELS: dict[tuple[int, str], tuple[Dimension, dict[str, str]]] = {}


def category_label(dimension: str, code: str) -> str:
    if code == TOTAL:
        return _("Total")
    chosen = dimension_get(dimension)
    lang = language()
    kept = _LABELS.get((id(chosen), lang))
    if kept is None or kept[0] is not chosen:
        kept = (chosen, {c.code: c.label(lang) for c in chosen.categories})
        if len(_LABELS) > LABEL_MAPS_KEPT:  # dimensions rebuilt (e.g. provinces reloaded): start over
            _LABELS.clear()
        _LABELS[(id(chosen), lang)] = kept
    label = kept[1].get(code)
    return label if label is not None else chosen.category_label(code, lang)


def dimension_label(code: str) -> str:
    return dimension_get(code).label(language())


def indicator_label(code: str) -> str:
    return indicator_get(code).name(language())


@dataclass(frozen=True)
class ShownCell:
    text: str  # what the cell prints
    count: Count | None = None  # the count behind it (pages only; None in protected output)
    suppressed: bool = False
    margin: bool = False

    @property
    def range_text(self) -> str:
        if self.count is None or not self.count.uncertain:
            return ""
        return f"{number(self.count.low)}\u2013{number(self.count.value)}"


def shown_count(count: Count, *, margin: bool = False) -> ShownCell:
    return ShownCell(text=number(count.value), count=count, margin=margin)


def count_phrase(count: Count, unit: str) -> str:
    """'1,240 records, 1,017 people' for persons; '312 events' for events."""
    if unit == "persons":
        return _("%(records)s records, %(people)s people") % {
            "records": number(count.records),
            "people": number(count.value),
        }
    return _("%(events)s events") % {"events": number(count.value)}


@dataclass(frozen=True)
class OneWay:
    """A table by one dimension: a row per category and the total."""

    dimension: str
    dimension_name: str
    rows: list[tuple[str, ShownCell]]
    additive: bool
    zeros_left_out: int = 0  # categories with nobody counted, not listed (see `one_way`)


# A dimension with more categories than this (citizenship: some 250 countries) lists on a page only
# the categories where someone was counted; downloads keep every row.
LONG_DIMENSION = 40


def _is_zero(table: Table, code: str) -> bool:
    return code != TOTAL and table.cells[(code,)].value == 0


def one_way(table: Table, *, protected: ProtectedTable | None = None, compact: bool = False) -> OneWay:
    """A table by one dimension: `protected` prints what disclosure control lets out; None, the counts.
    `compact` (a page): for a long dimension the zero rows are left out (counted in `zeros_left_out`)."""
    (dimension,) = table.dimensions
    long = compact and len(table.categories[0]) > LONG_DIMENSION
    rows = []
    left_out = 0
    for (code,) in table.keys():  # noqa: SIM118 - a Table, not a dict
        if long and _is_zero(table, code):
            left_out += 1
            continue
        rows.append((category_label(dimension, code), _cell(table, (code,), protected)))
    return OneWay(
        dimension=dimension,
        dimension_name=dimension_label(dimension),
        rows=rows,
        additive=table.additive[0],
        zeros_left_out=left_out,
    )


@dataclass(frozen=True)
class TwoWay:
    """A table by two dimensions: rows by the first, columns by the second, margins last."""

    row_dimension: str
    column_dimension: str
    row_name: str
    column_name: str
    columns: list[str]
    rows: list[tuple[str, list[ShownCell]]]


def two_way(table: Table, *, protected: ProtectedTable | None = None) -> TwoWay:
    first, second = table.dimensions
    row_codes = (*table.categories[0], TOTAL)
    column_codes = (*table.categories[1], TOTAL)
    return TwoWay(
        row_dimension=first,
        column_dimension=second,
        row_name=dimension_label(first),
        column_name=dimension_label(second),
        columns=[category_label(second, c) for c in column_codes],
        rows=[
            (category_label(first, r), [_cell(table, (r, c), protected) for c in column_codes])
            for r in row_codes
        ],
    )


def _cell(table: Table, key: Key, protected: ProtectedTable | None) -> ShownCell:
    margin = TOTAL in key
    if protected is None:
        return shown_count(table.cells[key], margin=margin)
    printed = protected.printed(key)
    if printed is None:
        return ShownCell(text=protected.display(key), suppressed=True, margin=margin)
    return ShownCell(text=number(printed), margin=margin)


def long_rows(table: Table, *, protected: ProtectedTable) -> tuple[list[str], list[list[str]]]:
    """A file's header and rows: the dimensions' labels, then the published value; one row per
    cell (margins included, as `Total`)."""
    header = [
        _("Indicator"),
        _("Period"),
        *[dimension_label(d) for d in table.dimensions],
        _("Value"),
    ]
    name = indicator_label(table.indicator)
    rows = [
        [
            name,
            table.period,
            *[category_label(d, c) for d, c in zip(table.dimensions, key, strict=True)],
            _file_text(protected, key),
        ]
        for key in table.keys()  # noqa: SIM118 - a Table, not a dict
    ]
    return header, rows


def _file_text(protected: ProtectedTable, key: Key) -> str:
    printed = protected.printed(key)
    return protected.display(key) if printed is None else str(printed)


def bars_of(
    table: Table, *, protected: ProtectedTable | None = None, compact: bool = False
) -> list[charts.Bar]:
    """The categories of a one-dimension table as bars (margins left out; suppressed not drawn; the
    zeros of a long dimension left out when `compact`, as `one_way` does)."""
    (dimension,) = table.dimensions
    long = compact and len(table.categories[0]) > LONG_DIMENSION
    bars = []
    for (code,) in table.inner_keys():
        if long and _is_zero(table, code):
            continue
        value = table.cells[(code,)].value if protected is None else protected.printed((code,))
        bars.append(charts.Bar(category=category_label(dimension, code), value=value))
    return bars


def series_points(tables: Sequence[Table], labels: Sequence[str], *, source: str) -> list[charts.SeriesPoint]:
    return [
        charts.SeriesPoint(period=label, value=t.total.value, low=t.total.low, source=source)
        for t, label in zip(tables, labels, strict=True)
    ]
