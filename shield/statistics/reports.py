"""A report: the tables of one period, counted with the user's scope and protected all together.

`report_build` is the one way to turn table specs into publishable tables: it counts the tables
together through `selectors.tables_for` (the caller's scope applies; each source read once), then
protects them in one call to `disclosure.protect`, so a cell suppressed in one table cannot be
worked out from another, nor from what earlier releases for the same period published
(`published`). The release, the PDF national report and the benchmark all build their tables here.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shield.statistics import disclosure, indicators, selectors
from shield.statistics.indicators import TableSpec
from shield.statistics.tables import Table

__all__ = ["Report", "TableSpec", "report_build", "spec_as_dict", "spec_of", "specs_of_set"]


def spec_of(data: Mapping[str, Any]) -> TableSpec:
    """A spec from its stored form {"indicator": ..., "dimensions": [...]}."""
    return TableSpec(str(data["indicator"]), tuple(str(d) for d in data.get("dimensions", ())))


def spec_as_dict(spec: TableSpec) -> dict[str, Any]:
    return {"indicator": spec.indicator, "dimensions": list(spec.dimensions)}


@dataclass
class Report:
    period: str
    specs: list[TableSpec]
    tables: list[Table]
    protection: disclosure.Protection
    audit: list[disclosure.AuditRow] = field(default_factory=list)

    @property
    def audit_ok(self) -> bool:
        return all(row.ok for row in self.audit)


def specs_of_set(table_set: str) -> list[TableSpec]:
    """The specs of a named table set (`data/table_sets.json`); KeyError when there is no such set."""
    return list(indicators.table_set_get(table_set).tables)


def report_build(
    *,
    user: Any,
    period: str,
    table_set: str | None = None,
    specs: Sequence[TableSpec] | None = None,
    published: Sequence[disclosure.PublishedTable] = (),
    progress: Callable[[int, str], None] | None = None,
) -> Report:
    """Count and protect the tables of `table_set` (or `specs`) for `period` as `user` may see them.

    Raises KeyError for an unknown table set or indicator and ValueError for a bad period or a
    dimension the indicator may not be cut by (callers turn these into field errors), or tables
    that cannot be protected (`disclosure.DisclosureError`). `progress(percent, step)` hears once the
    tables are counted (80%) and after the protection (100%).
    """
    if specs is None:
        if not table_set:
            raise ValueError("name a table set or give the tables")
        specs = specs_of_set(table_set)
    chosen = list(specs)
    if not chosen:
        raise ValueError("a report needs at least one table")
    # Every table from one read of each source (`selectors.tables_for`).
    tables = selectors.tables_for(
        user=user,
        requests=[selectors.TableRequest(spec.indicator, period, spec.dimensions) for spec in chosen],
    )
    if progress is not None:
        progress(80, f"{len(chosen)} tables counted")
    threshold = min(indicators.indicator_get(spec.indicator).threshold for spec in chosen)
    protection = disclosure.protect(tables, threshold=threshold, published=published)
    if progress is not None:
        progress(100, "protected")
    return Report(period=period, specs=chosen, tables=tables, protection=protection, audit=protection.audit())
