"""Statistical disclosure control for counted tables (pure Python: no Django).

    protection = protect(tables, threshold=5, published=earlier)
    for pt in protection.tables:
        pt.display(key)          # "17", "<5" (primary), "x" (secondary)
    protection.audit()           # one row per suppressed cell: its interval and whether it holds

Primary suppression (`primary`) withholds cells with 0 < value < threshold; secondary suppression
(`secondary`) withholds more cells until no withheld cell can be narrowed below the protection width
(default: the threshold) from the margins, the other tables of the call and `published` (what
earlier releases printed for the period), which the audit (`audit`) checks with one LP per bound.
`method="rounding"` adds OpenSAFELY-style rounding; `privacy.add_noise` gives OpenDP noise instead.

Legend of `display`: a number is printed as is; `<5` (`<threshold`) is a count from 1 to
threshold - 1; `x` is a cell withheld so that a small cell cannot be worked out (its value may be
anything, large or small).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from shield.statistics.disclosure.audit import Interval
from shield.statistics.disclosure.primary import primary_keys
from shield.statistics.disclosure.privacy import NoisyTable, add_noise, sensitivity
from shield.statistics.disclosure.relations import DisclosureError, PublishedTable, Shape, build
from shield.statistics.disclosure.rounding import ROUNDING_SUPPRESS_AT_MOST, round_count
from shield.statistics.disclosure.secondary import suppress
from shield.statistics.tables import Key, Table

__all__ = [
    "SECONDARY_MARK",
    "AuditRow",
    "CellStatus",
    "DisclosureError",
    "NoisyTable",
    "ProtectedTable",
    "Protection",
    "PublishedTable",
    "Shape",
    "add_noise",
    "protect",
    "sensitivity",
]

METHODS = ("optimal", "heuristic", "rounding")
SECONDARY_MARK = "x"


class CellStatus(StrEnum):
    PUBLISHED = "published"
    PRIMARY = "primary"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class ProtectedTable:
    table: Table
    status: dict[Key, CellStatus]
    # For each suppressed cell: the least and greatest value consistent with everything printed
    # (None as the greatest: unbounded).
    intervals: dict[Key, Interval]
    threshold: int
    rounded: bool = False

    def display(self, key: Key) -> str:
        status = self.status[key]
        if status is CellStatus.PRIMARY:
            return f"<{self.threshold}"
        if status is CellStatus.SECONDARY:
            return SECONDARY_MARK
        value = self.table.cells[key].value
        return str(round_count(value) if self.rounded else value)

    def printed(self, key: Key) -> int | None:
        """The figure printed for a cell (None when suppressed)."""
        if self.status[key] is not CellStatus.PUBLISHED:
            return None
        value = self.table.cells[key].value
        return round_count(value) if self.rounded else value

    def as_published(self) -> PublishedTable:
        """What a later release must count as already printed.

        For a rounded table the exact values of the printed cells are recorded: an attacker knows
        at most that much, so a later release protected against them is safe (if strict).
        """
        values = {
            key: (None if self.status[key] is not CellStatus.PUBLISHED else self.table.cells[key].value)
            for key in self.table.keys()  # noqa: SIM118 (Table.keys, not a dict)
        }
        return PublishedTable(Shape.of(self.table), values)

    @property
    def suppressed(self) -> int:
        return sum(1 for s in self.status.values() if s is not CellStatus.PUBLISHED)


@dataclass(frozen=True)
class AuditRow:
    table: int  # position in Protection.tables
    indicator: str
    key: Key
    status: CellStatus
    value: int  # the true value: for the internal view only, never printed
    lower: int
    upper: int | None  # None: no upper bound
    required: int
    ok: bool


@dataclass(frozen=True)
class Protection:
    tables: list[ProtectedTable]
    threshold: int
    protection: int
    method: str
    rows: list[AuditRow] = field(default_factory=list)

    def audit(self) -> list[AuditRow]:
        return list(self.rows)

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)


def protect(
    tables: Sequence[Table],
    *,
    threshold: int = 5,
    protection: int | None = None,
    published: Sequence[PublishedTable] = (),
    method: str = "optimal",
) -> Protection:
    """Suppress, audit and (with method="rounding") round the tables of one release.

    `protection` is the least width of the interval of every suppressed cell (default: the
    threshold). Raises `DisclosureError` when the tables cannot be protected (an earlier release
    printed a small cell) or disagree with each other.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {METHODS}")
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    rounded = method == "rounding"
    if rounded:
        threshold = max(threshold, ROUNDING_SUPPRESS_AT_MOST + 1)
    width = threshold if protection is None else protection
    if width < 1:
        raise ValueError("protection must be at least 1")
    system = build(tables, published)
    primary = {
        system.table_index[t][key] for t, table in enumerate(tables) for key in primary_keys(table, threshold)
    }
    suppressed, found = suppress(system, primary, protection=width, method="optimal" if rounded else method)
    out: list[ProtectedTable] = []
    rows: list[AuditRow] = []
    for t, table in enumerate(tables):
        index = system.table_index[t]
        status: dict[Key, CellStatus] = {}
        boxes: dict[Key, Interval] = {}
        for key in table.keys():  # noqa: SIM118 (Table.keys, not a dict)
            v = index[key]
            if v in primary:
                status[key] = CellStatus.PRIMARY
            elif v in suppressed:
                status[key] = CellStatus.SECONDARY
            else:
                status[key] = CellStatus.PUBLISHED
                continue
            boxes[key] = found[v]
            low, high = found[v]
            rows.append(
                AuditRow(
                    table=t,
                    indicator=table.indicator,
                    key=key,
                    status=status[key],
                    value=table.cells[key].value,
                    lower=low,
                    upper=high,
                    required=width,
                    ok=high is None or high - low >= width,
                )
            )
        out.append(ProtectedTable(table, status, boxes, threshold, rounded))
    result = Protection(out, threshold, width, method, rows)
    if not result.ok:  # suppress() loops until the audit passes; this guards that promise
        raise DisclosureError("the audit of the protected tables failed")
    return result
