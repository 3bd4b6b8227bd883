"""Viet Nam's published GLOTIP series: what UNODC published for Viet Nam, read from the vendored rows.

`data/glotip_vnm_2025-04-14.csv` holds Viet Nam's 50 rows of UNODC's GLOTIP country data (release
14/04/2025; see the `.md` beside it for the source and attribution). Shield shows the totals
(detected victims 2007 to 2015, persons prosecuted 2007 to 2011, persons convicted 2007 to 2015) beside its
own years. A `<5` cell is kept as suppressed (no number), as UNODC published it. Pure Python.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shield.statistics.shapes.glotip import COLUMNS

FILE = Path(__file__).resolve().parent / "data" / "glotip_vnm_2025-04-14.csv"
HEADER = COLUMNS  # the shared file's 13 columns, as the GLOTIP export writes them
SOURCE_VI = "UNODC, Báo cáo toàn cầu về mua bán người (GLOTIP), dữ liệu công bố ngày 14/04/2025"
SOURCE_EN = "UNODC, Global Report on Trafficking in Persons data, release 14/04/2025"

DETECTED_VICTIMS = "Detected trafficking victims"
PERSONS_PROSECUTED = "Persons prosecuted"
PERSONS_CONVICTED = "Persons convicted"

# UNODC's indicator → Shield's indicator code (the prosecution and conviction indicators arrive
# with the justice app; until then the published series stands alone for them).
SHIELD_INDICATOR = {
    DETECTED_VICTIMS: "victims_detected",
    PERSONS_PROSECUTED: "persons_prosecuted",
    PERSONS_CONVICTED: "persons_convicted",
}
NAMES = {
    DETECTED_VICTIMS: ("Nạn nhân bị mua bán được phát hiện", "Detected trafficking victims"),
    PERSONS_PROSECUTED: ("Người bị truy tố", "Persons prosecuted"),
    PERSONS_CONVICTED: ("Người bị kết án", "Persons convicted"),
}


@dataclass(frozen=True)
class PublishedPoint:
    indicator: str  # UNODC's indicator name, e.g. "Detected trafficking victims"
    year: int
    value: int | None  # None where UNODC published `<5`
    text: str  # txtVALUE as published

    @property
    def suppressed(self) -> bool:
        return self.value is None


def parse_value(text: str) -> int | None:
    """`1,206` → 1206; `<5` → None (suppressed); anything else is a ValueError."""
    cleaned = text.strip()
    if cleaned.startswith("<"):
        return None
    return int(cleaned.replace(",", ""))


@cache
def rows() -> tuple[dict[str, str], ...]:
    """Every vendored row as published (the 13 GLOTIP columns)."""
    with FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != HEADER:
            raise ValueError(f"{FILE.name}: not the GLOTIP header")
        return tuple(dict(row) for row in reader)


def totals(indicator: str) -> list[PublishedPoint]:
    """The national totals (Dimension, Category, Sex and Age all `Total`) of one indicator, by year."""
    points = [
        PublishedPoint(
            indicator=indicator,
            year=int(row["Year"]),
            value=parse_value(row["txtVALUE"]),
            text=row["txtVALUE"],
        )
        for row in rows()
        if row["Indicator"] == indicator
        and row["Dimension"] == row["Category"] == row["Sex"] == row["Age"] == "Total"
    ]
    return sorted(points, key=lambda p: p.year)


def series() -> dict[str, list[PublishedPoint]]:
    """The published totals Shield shows: detected victims, persons prosecuted, persons convicted."""
    return {indicator: totals(indicator) for indicator in NAMES}


def name(indicator: str, language: str = "vi") -> str:
    vi, en = NAMES[indicator]
    return vi if language.startswith("vi") else en


def source(language: str = "vi") -> str:
    return SOURCE_VI if language.startswith("vi") else SOURCE_EN
