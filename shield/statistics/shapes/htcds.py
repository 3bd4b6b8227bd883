"""The HTCDS record-level export: one de-identified row per unique individual detected as a victim.

Pure Python (the database side is `shapes.victims`). A row holds no name, identity number, free
text, exact date or exact age: only the quasi-identifiers below, generalised as k-anonymity needs
(`kanonymity.anonymise`, k = 11 by default as CTDC's public data), and the trafficking status.

Quasi-identifiers and their hierarchies (level 0 first, `*` = withheld):
- `prs_Gender`: HTCDS gender → `*`
- `ageAtIdentification`: CTDC band (0-8, 9-17, 18-20 … 48+) → 0-17 / 18-29 / 30-47 / 48+ →
  0-17 / 18+ → `*` (`unknown` stays `unknown`)
- `prs_Citizenship`: ISO alpha-2 (a citizenship held by fewer than k individuals is first grouped
  as `Other: <UNODC region>`) → `VN` / `Other: <region>` → `VN` / `Other` → `*`
- `prs_MailingState` (home province): province → region (GSO's six) → `*`
- `identificationPeriod`: year-quarter → year → `*`
- `vic_TypeOfExploitation`: HTCDS values → UNODC's three forms → `*`
"""

import datetime
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shield.statistics.age_bands import CTDC_BANDS
from shield.statistics.shapes.kanonymity import CTDC_K, Hierarchy, Record, Report, anonymise

GENDER = "prs_Gender"
AGE = "ageAtIdentification"
CITIZENSHIP = "prs_Citizenship"
PLACE = "prs_MailingState"
PERIOD = "identificationPeriod"
FORMS = "vic_TypeOfExploitation"
STATUS = "vic_TraffickingStatus"
COLUMNS = (GENDER, AGE, CITIZENSHIP, PLACE, PERIOD, FORMS, STATUS)
QUASI_IDENTIFIERS = (GENDER, AGE, CITIZENSHIP, PLACE, PERIOD, FORMS)

# Person.sex -> HTCDS prs_Gender.
GENDERS = {
    "female": "Feminine",
    "male": "Masculine",
    "other": "NonConforming",
    "unknown": "NonSpecifiedUnknown",
}
# cases.IdentificationStatus -> HTCDS vic_TraffickingStatus.
STATUSES = {"identified": "ActualVictimOfTrafficking", "possible": "PossibleVictimOfTrafficking"}
UNKNOWN = "unknown"
HOME = "VN"
BROAD_BANDS = {
    "0-8": "0-17",
    "9-17": "0-17",
    "18-20": "18-29",
    "21-23": "18-29",
    "24-26": "18-29",
    "27-29": "18-29",
    "30-38": "30-47",
    "39-47": "30-47",
    "48+": "48+",
}
# HTCDS vic_TypeOfExploitation -> UNODC's forms (as statistics.dimensions.EXPLOITATION_GROUPS).
UNODC_FORMS = {
    "SexualExploitation": "Sexual exploitation",
    "ForcedLabour": "Forced labour",
    "ChildLabour": "Forced labour",
    "Servitude": "Forced labour",
}
OTHER_FORMS = "Other forms of exploitation"
SEPARATOR = ";"


@dataclass(frozen=True)
class PersonFacts:
    """What one person record says, read by `shapes.victims` (never a name or a number)."""

    individual: str  # the linkage individual, or the person's own id when no run placed it
    sex: str
    birth_date: datetime.date | None
    citizenship: str  # ISO alpha-2, "" when unknown
    province: str  # province code, "" when unknown
    identified_on: datetime.date
    status: str  # identified / possible
    forms: frozenset[str]


@dataclass(frozen=True)
class Victim:
    """One unique individual, merged from their person records."""

    sex: str
    age: int | None
    citizenship: str
    province: str
    identified_on: datetime.date
    status: str
    forms: frozenset[str]


def _agreed(values: Iterable[str], unknown: str) -> str:
    """The value the records agree on; `unknown` when none is known or they disagree."""
    known = {v for v in values if v and v != unknown}
    return known.pop() if len(known) == 1 else unknown


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def individuals(facts: Iterable[PersonFacts]) -> list[Victim]:
    """One Victim per individual: first identification in the period, age then, facts merged.

    Records that disagree on sex, citizenship, place or birth date give `unknown` for it: a
    record-level export must not guess between two agencies' versions.
    """
    grouped: dict[str, list[PersonFacts]] = {}
    for fact in facts:
        grouped.setdefault(fact.individual, []).append(fact)
    victims = []
    for group in grouped.values():
        first = min(f.identified_on for f in group)
        births = {f.birth_date for f in group if f.birth_date is not None}
        age = _age(births.pop(), first) if len(births) == 1 else None
        victims.append(
            Victim(
                sex=_agreed((f.sex for f in group), UNKNOWN),
                age=age if age is None or age >= 0 else None,
                citizenship=_agreed((f.citizenship for f in group), ""),
                province=_agreed((f.province for f in group), ""),
                identified_on=first,
                status="identified" if any(f.status == "identified" for f in group) else "possible",
                forms=frozenset().union(*(f.forms for f in group)),
            )
        )
    return victims


def ctdc_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for code, low, high in CTDC_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return UNKNOWN


def quarter(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@cache
def _regions() -> dict[str, str]:
    data = json.loads((Path(__file__).parent / "data" / "vn_regions.json").read_text(encoding="utf-8"))
    return {code: region["name"] for region in data["regions"].values() for code in region["provinces"]}


def region_of(province: str) -> str:
    return _regions().get(province, UNKNOWN) if province and province != UNKNOWN else UNKNOWN


def _country_region(alpha2: str) -> str:
    from django_countries.data import ALT_CODES

    from shield.statistics.shapes.glotip import _unodc_countries

    codes = ALT_CODES.get(alpha2)
    country = _unodc_countries().get(codes[0]) if codes else None
    return country.region if country else "Other"


def _forms_text(forms: Iterable[str]) -> str:
    return SEPARATOR.join(sorted(forms)) if forms else UNKNOWN


def unodc_forms(value: str) -> str:
    if value == UNKNOWN:
        return UNKNOWN
    return _forms_text({UNODC_FORMS.get(form, OTHER_FORMS) for form in value.split(SEPARATOR)})


def _keep_unknown(step: Callable[[str], str]) -> Callable[[str], str]:
    return lambda value: UNKNOWN if value == UNKNOWN else step(value)


def hierarchies() -> tuple[Hierarchy, ...]:
    return (
        Hierarchy(GENDER, (), ("HTCDS gender",)),
        Hierarchy(
            AGE,
            (
                _keep_unknown(lambda b: BROAD_BANDS[b]),
                _keep_unknown(lambda b: "0-17" if b in ("0-8", "9-17") else "18+"),
            ),
            ("CTDC age band", "0-17 / 18-29 / 30-47 / 48+", "0-17 / 18+"),
        ),
        Hierarchy(
            CITIZENSHIP,
            (
                _keep_unknown(
                    lambda c: c if c == HOME or c.startswith("Other") else f"Other: {_country_region(c)}"
                ),
                _keep_unknown(lambda c: HOME if c == HOME else "Other"),
            ),
            ("country (rare ones grouped by region)", "Viet Nam / other by region", "Viet Nam / other"),
        ),
        Hierarchy(PLACE, (_keep_unknown(region_of),), ("province", "region")),
        Hierarchy(PERIOD, (lambda p: p.split("-")[0],), ("year and quarter", "year")),
        Hierarchy(FORMS, (unodc_forms,), ("HTCDS form of exploitation", "UNODC form of exploitation")),
    )


def records(victims: Sequence[Victim], *, k: int = CTDC_K) -> tuple[list[Record], int]:
    """Level-0 records, rare citizenships already grouped; and how many were grouped."""
    rows: list[Record] = [
        {
            GENDER: GENDERS.get(v.sex, GENDERS[UNKNOWN]),
            AGE: ctdc_band(v.age),
            CITIZENSHIP: v.citizenship or UNKNOWN,
            PLACE: v.province or UNKNOWN,
            PERIOD: quarter(v.identified_on),
            FORMS: _forms_text(v.forms),
            STATUS: STATUSES.get(v.status, STATUSES["possible"]),
        }
        for v in victims
    ]
    held = Counter(r[CITIZENSHIP] for r in rows)
    grouped = 0
    for row in rows:
        c = row[CITIZENSHIP]
        if c not in (HOME, UNKNOWN) and held[c] < k:
            row[CITIZENSHIP] = f"Other: {_country_region(c)}"
            grouped += 1
    return rows, grouped


def export(
    victims: Sequence[Victim],
    *,
    k: int = CTDC_K,
    province_names: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[list[str]], dict[str, object]]:
    """The rows (header first) and the report of what was generalised and suppressed."""
    rows, grouped = records(victims, k=k)
    kept, report = anonymise(rows, hierarchies(), k=k, progress=progress)
    names = province_names or {}
    # Sorted on every column: the order says nothing about when or where a record was entered.
    body = sorted([[names.get(r[c], r[c]) if c == PLACE else r[c] for c in COLUMNS] for r in kept])
    return [list(COLUMNS), *body], report_dict(report, grouped_citizenships=grouped)


def report_dict(report: Report, *, grouped_citizenships: int) -> dict[str, object]:
    out = report.as_dict()
    out["quasi_identifiers"] = list(QUASI_IDENTIFIERS)
    out["grouped_citizenships"] = grouped_citizenships
    return out
