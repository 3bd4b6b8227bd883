"""Viet Nam's rows in UNODC's GLOTIP shape: the 13 columns and vocabularies of UNODC's country
dataset (`shared/data/unodc_glotip/`), one row per published cell of the GLOTIP tables.

Input: the protected tables of a year (`ShownTable`: a counted `tables.Table` and the text
disclosure control lets out for each key). Output: a list of dicts keyed by `COLUMNS`.

Decisions (see docs/statistics.md):
- `txtVALUE` is an integer written as UNODC writes it (`1,206`), or `<5` for a cell suppressed
  because it is small (primary suppression). A cell suppressed only to protect another one
  (secondary suppression) may hold 5 or more, so `<5` would be false; GLOTIP has no other mark,
  so such a cell gets **no row** (UNODC's file leaves out what a country did not report).
- `Source` is `SOURCE` ("Shield"), not UNODC's "GLOTIP": these are national figures before
  UNODC has collected and checked them, and a reader must tell the two apart.
- Categories with no GLOTIP counterpart (form of exploitation `unknown`) get no row; their
  units stay in the `Total` rows.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from shield.statistics.tables import TOTAL, Key, Table

COLUMNS = (
    "Iso3_code",
    "Country",
    "Region",
    "Subregion",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "txtVALUE",
    "Source",
)
ISO3 = "VNM"
SOURCE = "Shield"
UNIT = "Counts"
SUPPRESSED = "<5"

# Shield indicator code -> GLOTIP Indicator (the names as in UNODC's file).
INDICATORS: dict[str, str] = {
    "victims_detected": "Detected trafficking victims",
    "persons_formal_contact": "Persons brought into formal contact",
    "persons_prosecuted": "Persons prosecuted",
    "persons_convicted": "Persons convicted",
    "offences": "Offences of trafficking in persons",
}
# Shield dimension codes (statistics.dimensions) and their categories in GLOTIP's words.
SEX_DIMENSION = "sex"
AGE_DIMENSION = "age_unodc"
FORM_DIMENSION = "exploitation"
CITIZENSHIP_DIMENSION = "citizenship"
SEXES = {"female": "Female", "male": "Male", "other": "Other", "unknown": "Unknown", TOTAL: "Total"}
AGES = {"0-17": "0 to 17 years", "18+": "18 years or over", "unknown": "Unknown", TOTAL: "Total"}
FORMS = {
    "sexual": "Sexual exploitation",
    "forced_labour": "Forced labour",
    "other": "Other forms of exploitation",
}
DIMENSION_TOTAL = "Total"
DIMENSION_FORM = "by form of exploitation"
DIMENSION_CITIZENSHIP = "by citizenship"
UNKNOWN_CITIZENSHIP = "Unknown"
SUPPORTED_DIMENSIONS = frozenset({SEX_DIMENSION, AGE_DIMENSION, FORM_DIMENSION, CITIZENSHIP_DIMENSION})


class ShownTable(Protocol):
    """A table after disclosure control (`statistics.disclosure.ProtectedTable`)."""

    @property
    def table(self) -> Table: ...

    def display(self, key: Key) -> str: ...


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    region: str
    subregion: str


@cache
def _unodc_countries() -> dict[str, Country]:
    path = Path(__file__).parent / "data" / "unodc_countries.json"
    data = json.loads(path.read_text(encoding="utf-8"))["countries"]
    return {iso3: Country(iso3, c["name"], c["region"], c["subregion"]) for iso3, c in data.items()}


def reporting_country(iso3: str = ISO3) -> Country:
    return _unodc_countries()[iso3]


def country_name(alpha2: str) -> str:
    """A citizenship category (ISO alpha-2, or `unknown`) as UNODC writes the country."""
    from django.utils import translation
    from django_countries import countries
    from django_countries.data import ALT_CODES

    if alpha2 == "unknown":
        return UNKNOWN_CITIZENSHIP
    codes = ALT_CODES.get(alpha2.upper())
    if codes is not None and codes[0] in _unodc_countries():
        return _unodc_countries()[codes[0]].name
    with translation.override("en"):
        name = str(countries.name(alpha2.upper()))
    if not name:
        raise ValueError(f"not a country code: {alpha2!r}")
    return name


def cell_value(shown: str) -> str | None:
    """GLOTIP's `txtVALUE` for what disclosure control shows: `1,206`, `<5`, or None (no row).

    A number (digits, perhaps with separators) is a published count; text starting with `<` is a
    small cell; anything else (`x`, `..`) marks a cell suppressed to protect another.
    """
    text = shown.strip().replace(",", "").replace(".", "").replace("\u00a0", "").replace(" ", "")
    if text.isdigit():
        return f"{int(text):,}"
    if shown.strip().startswith("<"):
        return SUPPRESSED
    return None


def _row_labels(table: Table, key: Key) -> tuple[str, str, str, str] | None:
    """(Dimension, Category, Sex, Age) for a key, or None where GLOTIP has no such category."""
    values = dict(zip(table.dimensions, key, strict=True))
    dimension, category = DIMENSION_TOTAL, "Total"
    form = values.get(FORM_DIMENSION, TOTAL)
    citizenship = values.get(CITIZENSHIP_DIMENSION, TOTAL)
    if form != TOTAL:
        if form not in FORMS:
            return None
        dimension, category = DIMENSION_FORM, FORMS[form]
    elif citizenship != TOTAL:
        dimension, category = DIMENSION_CITIZENSHIP, country_name(citizenship)
    sex = SEXES.get(values.get(SEX_DIMENSION, TOTAL))
    age = AGES.get(values.get(AGE_DIMENSION, TOTAL))
    if sex is None or age is None:
        return None
    return dimension, category, sex, age


def _check(table: Table, year: int) -> str:
    if table.indicator not in INDICATORS:
        raise ValueError(f"{table.indicator}: not a GLOTIP indicator")
    if table.period != str(year):
        raise ValueError(f"{table.indicator}: counted for {table.period}, not {year}")
    extra = set(table.dimensions) - SUPPORTED_DIMENSIONS
    if extra:
        raise ValueError(f"{table.indicator}: GLOTIP has no dimension {sorted(extra)}")
    if FORM_DIMENSION in table.dimensions and CITIZENSHIP_DIMENSION in table.dimensions:
        raise ValueError(f"{table.indicator}: GLOTIP cuts by form or by citizenship, not both")
    return INDICATORS[table.indicator]


def glotip_rows(
    protected_tables: Iterable[ShownTable], *, year: int, source: str = SOURCE
) -> list[dict[str, str]]:
    """Viet Nam's GLOTIP rows for `year`, one per published cell, in the tables' order.

    A cell that several tables hold (every table holds the grand total) gets one row, from the
    first table that holds it; disclosure control shows a cell alike in every table of a release.
    """
    country = reporting_country()
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, ...]] = set()
    for shown in protected_tables:
        table = shown.table
        indicator = _check(table, year)
        for key in table.keys():  # noqa: SIM118 (a Table, not a dict)
            labels = _row_labels(table, key)
            if labels is None:
                continue
            identity = (indicator, *labels)
            if identity in seen:
                continue
            seen.add(identity)
            value = cell_value(shown.display(key))
            if value is None:
                continue
            if value == "0" and labels[0] == DIMENSION_CITIZENSHIP:
                # UNODC lists the citizenships detected, not the ~250 countries with none.
                continue
            dimension, category, sex, age = labels
            rows.append(
                dict(
                    zip(
                        COLUMNS,
                        (
                            country.iso3,
                            country.name,
                            country.region,
                            country.subregion,
                            indicator,
                            dimension,
                            category,
                            sex,
                            age,
                            str(year),
                            UNIT,
                            value,
                            source,
                        ),
                        strict=True,
                    )
                )
            )
    return rows


def as_lists(rows: Iterable[Mapping[str, str]]) -> list[list[str]]:
    return [[row[column] for column in COLUMNS] for row in rows]
