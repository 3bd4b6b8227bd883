"""How a frozen release's tables and audit are laid out on the page and in the downloads.

Everything here reads the release's stored `content` (what was published), never a recount, so the
page and the files show exactly what the hash covers.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shield.statistics import dimensions, disclosure, indicators
from shield.statistics.shapes import glotip
from shield.statistics.tables import TOTAL, Count, Table


def _vi() -> bool:
    return (get_language() or "").startswith("vi")


def indicator_label(code: str) -> str:
    try:
        found = indicators.indicator_get(code)
    except KeyError:
        return code
    return found.name_vi if _vi() else found.name_en


def dimension_label(code: str) -> str:
    try:
        found = dimensions.dimension_get(code)
    except KeyError:
        return code
    return found.name_vi if _vi() else found.name_en


def category_label(dimension: str, category: str) -> str:
    if category == TOTAL:
        return _("Total")
    try:
        found = dimensions.dimension_get(dimension)
    except KeyError:
        return category
    return found.category_label(category, "vi" if _vi() else "en")


@dataclass
class ShownCell:
    display: str
    status: str

    @property
    def suppressed(self) -> bool:
        return self.status != "published"


@dataclass
class ShownTable:
    number: int
    title: str
    dimensions: list[str]
    # A cross-tab for one or two dimensions: header labels, then rows of (label, cells).
    header: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[ShownCell]]] = field(default_factory=list)


def _cells(table: Mapping[str, Any]) -> dict[tuple[str, ...], ShownCell]:
    return {tuple(c["key"]): ShownCell(display=c["display"], status=c["status"]) for c in table["cells"]}


def shown_tables(content: Mapping[str, Any]) -> list[ShownTable]:
    shown = []
    for number, table in enumerate(content.get("tables", [])):
        dims = list(table["dimensions"])
        cats = [[*c, TOTAL] for c in table["categories"]]
        cells = _cells(table)
        title = indicator_label(table["indicator"])
        if dims:
            title = f"{title} — " + " × ".join(dimension_label(d) for d in dims)  # noqa: RUF001
        view = ShownTable(number=number + 1, title=title, dimensions=[dimension_label(d) for d in dims])
        if len(dims) == 0:
            view.header = [_("Value")]
            view.rows = [(_("Total"), [cells[()]])]
        elif len(dims) == 1:
            view.header = [_("Value")]
            view.rows = [(category_label(dims[0], c), [cells[(c,)]]) for c in cats[0]]
        elif len(dims) == 2:
            view.header = [category_label(dims[1], c) for c in cats[1]]
            view.rows = [(category_label(dims[0], r), [cells[(r, c)] for c in cats[1]]) for r in cats[0]]
        else:
            view.header = [_("Value")]
            view.rows = [
                (" · ".join(category_label(d, k) for d, k in zip(dims, key, strict=True)), [cell])
                for key, cell in cells.items()
            ]
        shown.append(view)
    return shown


@dataclass
class ShownAuditRow:
    table: int
    cell: str
    status: str
    lower: int
    upper: int | None  # None: no upper bound
    required: int
    ok: bool

    @property
    def width(self) -> int | None:
        return None if self.upper is None else self.upper - self.lower

    @property
    def status_label(self) -> str:
        return _("primary") if self.status == "primary" else _("secondary")


def shown_audit(content: Mapping[str, Any]) -> list[ShownAuditRow]:
    tables = content.get("tables", [])
    rows = []
    for row in content.get("audit", []):
        dims = tables[row["table"]]["dimensions"] if row["table"] < len(tables) else []
        cell = " · ".join(category_label(d, k) for d, k in zip(dims, row["key"], strict=False)) or _("Total")
        rows.append(
            ShownAuditRow(
                table=row["table"] + 1,
                cell=cell,
                status=row["status"],
                lower=row["lower"],
                upper=row["upper"],
                required=row["required_width"],
                ok=row["ok"],
            )
        )
    return rows


def legend(content: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The marks a release prints for suppressed cells, as `disclosure` writes them."""
    threshold = int(content.get("threshold", 5))
    return [
        (
            f"<{threshold}",
            _("from 1 to %(n)d: too few to publish (primary suppression)") % {"n": threshold - 1},
        ),
        (
            disclosure.SECONDARY_MARK,
            _("withheld so that a small cell cannot be worked out (secondary suppression)"),
        ),
    ]


CSV_HEADER = ("indicator", "unit", "period", "dimension", "category", "value", "status")


def long_rows(table: Mapping[str, Any]) -> Iterator[list[object]]:
    """One line per cell: the dimensions and categories joined by ";" (codes, as SDMX writes them)."""
    for cell in table["cells"]:
        yield [
            table["indicator"],
            table["unit"],
            table["period"],
            ";".join(table["dimensions"]),
            ";".join(cell["key"]),
            cell["display"],
            cell["status"],
        ]


@dataclass(frozen=True)
class FrozenTable:
    """A stored table as disclosure control showed it (what `shapes.glotip.glotip_rows` reads):
    `display` is the stored mark. The `table`'s cells hold the published figures, and zero where a
    cell was suppressed, since a release keeps no suppressed value: read them through `display`."""

    table: Table
    marks: Mapping[tuple[str, ...], str]

    def display(self, key: tuple[str, ...]) -> str:
        return self.marks[key]


def frozen_tables(content: Mapping[str, Any]) -> list[FrozenTable]:
    found = []
    for stored in content.get("tables", []):
        cells = {tuple(c["key"]): Count.events(int(c.get("value", 0))) for c in stored["cells"]}
        table = Table(
            indicator=stored["indicator"],
            unit=stored["unit"],
            period=stored["period"],
            dimensions=tuple(stored["dimensions"]),
            categories=tuple(tuple(c) for c in stored["categories"]),
            additive=tuple(bool(a) for a in stored["additive"]),
            cells=cells,
        )
        found.append(FrozenTable(table, {tuple(c["key"]): c["display"] for c in stored["cells"]}))
    return found


def glotip_rows(content: Mapping[str, Any]) -> list[list[str]]:
    """Viet Nam's GLOTIP rows from a release of a year: its tables that GLOTIP has (others are
    left out), each cell as the release printed it. Empty for a quarter or a month."""
    period = str(content.get("period", ""))
    if not period.isdigit():
        return []
    year = int(period)
    usable = []
    for frozen in frozen_tables(content):
        try:
            glotip.glotip_rows([frozen], year=year)
        except ValueError:
            continue
        usable.append(frozen)
    return glotip.as_lists(glotip.glotip_rows(usable, year=year))
