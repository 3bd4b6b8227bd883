"""Provinces as records write them, resolved without a database to today's 34 and the 63 former.

The geography app resolves the same text against its tables; the engine reads the same sources
(the `vietnam-provinces` package and `shield/geo/data/former_provinces.csv`) directly, and shares
the key and alias rules of `shield.geo.names`, so both sides agree on what a province string means.
"""

import csv
from dataclasses import dataclass
from functools import cache

from shield.geo.names import PROVINCE_ALIASES, province_key, province_lookup_from, squeeze
from shield.people.cccd import FORMER_PROVINCES_CSV


@dataclass(frozen=True)
class ProvinceLookup:
    current: dict[str, str]  # key → codename of today's province
    former: dict[str, str]  # key → folded name of the former (pre-2025) province, when it names one


@cache
def _lookup() -> ProvinceLookup:
    from vietnam_provinces import Province

    with FORMER_PROVINCES_CSV.open(encoding="utf-8", newline="") as handle:
        former_rows = list(csv.DictReader(handle))
    current: list[tuple[str, str]] = []
    for province in Province.iter_all():
        current += [
            (province.name, province.codename),
            (province.codename.replace("_", " "), province.codename),
        ]
    current += [(row["name"], row["successor_codename"]) for row in former_rows]
    for codename, aliases in PROVINCE_ALIASES.items():
        current += [(alias, codename) for alias in aliases]
    former = [(row["name"], province_key(row["name"])) for row in former_rows]
    return ProvinceLookup(current=province_lookup_from(current), former=province_lookup_from(former))


@dataclass(frozen=True)
class ResolvedProvince:
    current: str | None  # today's province (codename), or the text's key when it names none we know
    former: str | None  # the former province the text names, when it names one


def resolve_province(text: str) -> ResolvedProvince:
    """Today's province for a province written any common way (prefixes, case, diacritics, short
    forms, the 63 former names), and the former province when the text names one. Text that names
    no Vietnamese province (a foreign state, a typo) keeps its folded key, so equal text still
    compares equal."""
    key = province_key(text)
    if not key:
        return ResolvedProvince(None, None)
    current, former = _known(key)
    if current is None and "," in text:
        # An address, smallest place first (`Q. Hoàn Kiếm, Hà Nội`, `Xã Tả Van, Lào Cai, Việt
        # Nam`): the last part that names a province.
        for part in reversed(text.split(",")):
            current, former = _known(province_key(part))
            if current is not None:
                break
    return ResolvedProvince(current or key, former)


def _known(key: str) -> tuple[str | None, str | None]:
    """Today's province and the former one a key names, each None when it names none."""
    if not key:
        return None, None
    lookup = _lookup()
    current = lookup.current.get(key) or lookup.current.get(squeeze(key))
    former = lookup.former.get(key) or lookup.former.get(squeeze(key))
    return current, former
