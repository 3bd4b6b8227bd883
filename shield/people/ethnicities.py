"""Viet Nam's 54 ethnic groups, with the codes of the General Statistics Office's list
(Decision 121-TCTK/PPCĐ, 1979), which the national population database still uses.

The groups are read from `data/ethnicities.csv` (code, Vietnamese name, English name). Their
names are proper nouns in two spellings rather than translations, so a label shows the
Vietnamese or the English name by the active language instead of going through gettext.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ETHNICITIES_CSV = Path(__file__).resolve().parent / "data" / "ethnicities.csv"

KINH = "01"
OTHER = "other"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Ethnicity:
    code: str
    name_vi: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


@cache
def ethnicities() -> tuple[Ethnicity, ...]:
    with ETHNICITIES_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(Ethnicity(row["code"], row["name_vi"], row["name_en"]) for row in csv.DictReader(handle))


def _name_of(code: str) -> str:
    return next(e.name for e in ethnicities() if e.code == code)


_lazy_name = lazy(_name_of, str)


def ethnicity_choices() -> list[tuple[str, str | Promise]]:
    """Choices for Person.ethnicity: the 54 groups by code, then "other" and "unknown".

    A callable, so migrations refer to it instead of copying 56 labels.
    """
    groups: list[tuple[str, str | Promise]] = [(e.code, _lazy_name(e.code)) for e in ethnicities()]
    return [*groups, (OTHER, _("Other ethnic group")), (UNKNOWN, _("Unknown"))]


def ethnicity_codes() -> frozenset[str]:
    return frozenset(code for code, _label in ethnicity_choices())
