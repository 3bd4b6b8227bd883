"""The offences a proceeding may be about, read once from `shield/justice/data/offences.json`.

The list is data, keyed to Penal Code articles: each offence has a code (`BLHS-150`), its
Vietnamese and English names, its class (the most serious its clauses reach) and the class of each
clause, whether it is trafficking (Articles 150 and 151) and whether the entry was checked against
the official text (`verified`). Other parts (diversion eligibility) read the class from here.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent.parent / "data" / "offences.json"

LESS_SERIOUS = "less_serious"
SERIOUS = "serious"
VERY_SERIOUS = "very_serious"
ESPECIALLY_SERIOUS = "especially_serious"
CLASS_ORDER = (LESS_SERIOUS, SERIOUS, VERY_SERIOUS, ESPECIALLY_SERIOUS)
CLASS_LABELS = {
    LESS_SERIOUS: _("Less serious"),
    SERIOUS: _("Serious"),
    VERY_SERIOUS: _("Very serious"),
    ESPECIALLY_SERIOUS: _("Especially serious"),
}


@dataclass(frozen=True)
class Offence:
    code: str
    article: int
    name_vi: str
    name_en: str
    offence_class: str
    clauses: tuple[tuple[str, str], ...]
    trafficking: bool
    verified: bool
    note: str = ""

    @property
    def name(self) -> str:
        """The name in the active language (Vietnamese unless the page is in English)."""
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    @property
    def label(self) -> str:
        return f"{self.article}. {self.name}"

    @property
    def class_label(self) -> str:
        return str(CLASS_LABELS[self.offence_class])

    def class_of(self, clause: str | None = None) -> str:
        """The class of one clause, or the most serious class when the clause is not known."""
        return dict(self.clauses).get(clause or "", self.offence_class)


@cache
def offences() -> dict[str, Offence]:
    """Every offence by code, in article order (read once per process)."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    found: dict[str, Offence] = {}
    for entry in raw["offences"]:
        if entry["class"] not in CLASS_ORDER or any(c not in CLASS_ORDER for c in entry["clauses"].values()):
            raise ValueError(f"Unknown offence class in {entry['code']}")
        found[entry["code"]] = Offence(
            code=entry["code"],
            article=int(entry["article"]),
            name_vi=entry["name_vi"],
            name_en=entry["name_en"],
            offence_class=entry["class"],
            clauses=tuple(entry["clauses"].items()),
            trafficking=bool(entry.get("trafficking", False)),
            verified=bool(entry.get("verified", False)),
            note=entry.get("note", ""),
        )
    return dict(sorted(found.items(), key=lambda item: item[1].article))


def get(code: str) -> Offence | None:
    return offences().get(code)


def trafficking_codes() -> list[str]:
    return [o.code for o in offences().values() if o.trafficking]


def choices() -> list[tuple[str, str]]:
    return [(o.code, o.label) for o in offences().values()]
