"""Indicators as data (`data/indicators.json`) and named sets of tables (`data/table_sets.json`).

Both files are checked when first read: an unknown dimension, unit, source or indicator is an
error that names it, so a bad edit fails at start-up and in the tests, never in a published table.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from shield.statistics import tables
from shield.statistics.dimensions import DIMENSION_CODES, dimension_get

DATA = Path(__file__).resolve().parent / "data"
INDICATORS_FILE = DATA / "indicators.json"
TABLE_SETS_FILE = DATA / "table_sets.json"

DEFAULT_THRESHOLD = 5
UNITS = (tables.Unit.PERSONS, tables.Unit.EVENTS)


class IndicatorFileError(ValueError):
    """indicators.json or table_sets.json says something Shield cannot count."""


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    definition_vi: str
    definition_en: str
    unit: str  # tables.Unit
    counts: str  # a source in counting.SOURCES
    dimensions: tuple[str, ...]
    disclosure: Mapping[str, Any]
    # Fixed cuts that make this indicator out of its source (children_detected: age_unodc=0-17).
    filters: Mapping[str, str] = field(default_factory=dict)
    # How international shapes name it (e.g. {"indicator": "Detected trafficking victims"}).
    glotip: Mapping[str, str] = field(default_factory=dict)

    @property
    def threshold(self) -> int:
        return int(self.disclosure.get("threshold", DEFAULT_THRESHOLD))

    @property
    def counts_persons(self) -> bool:
        return self.unit == tables.Unit.PERSONS

    def name(self, language: str = "vi") -> str:
        return self.name_vi if language.startswith("vi") else self.name_en

    def definition(self, language: str = "vi") -> str:
        return self.definition_vi if language.startswith("vi") else self.definition_en


@dataclass(frozen=True)
class TableSpec:
    indicator: str
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class TableSet:
    code: str
    name_vi: str
    name_en: str
    tables: tuple[TableSpec, ...]

    def name(self, language: str = "vi") -> str:
        return self.name_vi if language.startswith("vi") else self.name_en


def label(obj: Any, language: str = "vi") -> str:
    """The name of an indicator, dimension, category or table set in `language` ("vi" or "en")."""
    if hasattr(obj, "label"):
        return str(obj.label(language))
    return str(obj.name(language))


_TEXT_FIELDS = ("name_vi", "name_en", "definition_vi", "definition_en")
_KNOWN_FIELDS = {"code", "unit", "counts", "dimensions", "disclosure", "filters", "glotip", *_TEXT_FIELDS}


def _where(code: str) -> str:
    return f"indicator {code!r}"


def parse_indicators(document: Mapping[str, Any], *, sources: frozenset[str]) -> list[Indicator]:
    """The indicators of a document shaped as indicators.json; IndicatorFileError naming what is wrong."""
    entries = document.get("indicators")
    if not isinstance(entries, list) or not entries:
        raise IndicatorFileError("indicators: expected a non-empty list")
    found: list[Indicator] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or not code:
            raise IndicatorFileError(f"indicator #{number}: no code")
        where = _where(code)
        if code in seen:
            raise IndicatorFileError(f"{where}: listed twice")
        seen.add(code)
        unknown_fields = set(entry) - _KNOWN_FIELDS
        if unknown_fields:
            raise IndicatorFileError(f"{where}: unknown fields {sorted(unknown_fields)}")
        for name in _TEXT_FIELDS:
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise IndicatorFileError(f"{where}: {name} is missing")
        if entry.get("unit") not in UNITS:
            raise IndicatorFileError(f"{where}: unknown unit {entry.get('unit')!r} (expected one of {UNITS})")
        if entry.get("counts") not in sources:
            raise IndicatorFileError(f"{where}: unknown source {entry.get('counts')!r}")
        dimensions = entry.get("dimensions", [])
        for dimension in dimensions:
            if dimension not in DIMENSION_CODES:
                raise IndicatorFileError(f"{where}: unknown dimension {dimension!r}")
        if len(set(dimensions)) != len(dimensions):
            raise IndicatorFileError(f"{where}: a dimension is listed twice")
        filters = entry.get("filters", {})
        for dimension, _category in filters.items():
            if dimension not in DIMENSION_CODES:
                raise IndicatorFileError(f"{where}: filter on unknown dimension {dimension!r}")
            if dimension in dimensions:
                raise IndicatorFileError(f"{where}: {dimension!r} is both a filter and a dimension")
        disclosure = entry.get("disclosure", {"threshold": DEFAULT_THRESHOLD})
        threshold = disclosure.get("threshold", DEFAULT_THRESHOLD)
        if not isinstance(threshold, int) or threshold < 1:
            raise IndicatorFileError(f"{where}: disclosure threshold must be a positive whole number")
        found.append(
            Indicator(
                code=code,
                name_vi=entry["name_vi"],
                name_en=entry["name_en"],
                definition_vi=entry["definition_vi"],
                definition_en=entry["definition_en"],
                unit=entry["unit"],
                counts=entry["counts"],
                dimensions=tuple(dimensions),
                disclosure={"threshold": DEFAULT_THRESHOLD, **disclosure},
                filters=dict(filters),
                glotip=dict(entry.get("glotip", {})),
            )
        )
    return found


def _check_filter_categories(indicator: Indicator) -> None:
    for dimension, category in indicator.filters.items():
        if category not in dimension_get(dimension).codes:
            raise IndicatorFileError(f"{_where(indicator.code)}: {dimension} has no category {category!r}")


@cache
def _indicators() -> dict[str, Indicator]:
    from shield.statistics.counting import SOURCES

    document = json.loads(INDICATORS_FILE.read_text(encoding="utf-8"))
    found = parse_indicators(document, sources=frozenset(SOURCES))
    for indicator in found:
        _check_filter_categories(indicator)
        source = SOURCES[indicator.counts]
        if source.unit != indicator.unit:
            raise IndicatorFileError(
                f"{_where(indicator.code)}: source {indicator.counts} counts {source.unit}"
            )
        for dimension in (*indicator.dimensions, *indicator.filters):
            if dimension not in source.dimensions:
                raise IndicatorFileError(
                    f"{_where(indicator.code)}: source {indicator.counts} cannot be cut by {dimension!r}"
                )
    return {indicator.code: indicator for indicator in found}


def indicator_list() -> list[Indicator]:
    return list(_indicators().values())


def indicator_get(code: str) -> Indicator:
    """The indicator with this code; KeyError when there is none (callers answer 404 or 400)."""
    indicators = _indicators()
    if code not in indicators:
        raise KeyError(f"no indicator {code!r}")
    return indicators[code]


def parse_table_sets(
    document: Mapping[str, Any], *, indicators: Mapping[str, Indicator]
) -> dict[str, TableSet]:
    sets = document.get("sets")
    if not isinstance(sets, dict) or not sets:
        raise IndicatorFileError("table sets: expected a non-empty 'sets' object")
    found: dict[str, TableSet] = {}
    for code, entry in sets.items():
        specs: list[TableSpec] = []
        for number, table in enumerate(entry.get("tables", []), start=1):
            indicator = indicators.get(table.get("indicator"))
            if indicator is None:
                raise IndicatorFileError(
                    f"table set {code!r}, table #{number}: unknown indicator {table.get('indicator')!r}"
                )
            dimensions = tuple(table.get("dimensions", []))
            for dimension in dimensions:
                if dimension not in indicator.dimensions:
                    where = f"table set {code!r}, table #{number}"
                    raise IndicatorFileError(f"{where}: {indicator.code} cannot be cut by {dimension!r}")
            specs.append(TableSpec(indicator.code, dimensions))
        if not specs:
            raise IndicatorFileError(f"table set {code!r}: no tables")
        for name in ("name_vi", "name_en"):
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise IndicatorFileError(f"table set {code!r}: {name} is missing")
        found[code] = TableSet(code, entry["name_vi"], entry["name_en"], tuple(specs))
    return found


@cache
def _table_sets() -> dict[str, TableSet]:
    document = json.loads(TABLE_SETS_FILE.read_text(encoding="utf-8"))
    return parse_table_sets(document, indicators=_indicators())


def table_set_list() -> list[TableSet]:
    return list(_table_sets().values())


def table_set_get(code: str) -> TableSet:
    """The named set of tables ("glotip", "national"); KeyError when there is none."""
    sets = _table_sets()
    if code not in sets:
        raise KeyError(f"no table set {code!r}")
    return sets[code]
