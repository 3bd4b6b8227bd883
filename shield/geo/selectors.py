"""Reads of the reference geography, and resolving a province as people write it.

Geography is public reference data that every signed-in role needs for its forms, so these
selectors take no user and apply no access rule.
"""

from django.db.models import QuerySet

from shield.geo.models import BorderGate, Commune, FormerProvince, Province
from shield.geo.names import PROVINCE_ALIASES, province_key, province_lookup_from, squeeze

_lookup: dict[str, str] | None = None


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def commune_list(*, province: Province) -> QuerySet[Commune]:
    return Commune.objects.filter(province=province).order_by("code")


def border_gate_list(
    *, province: Province | None = None, include_inactive: bool = False
) -> QuerySet[BorderGate]:
    gates = BorderGate.objects.select_related("province").order_by("name")
    if province is not None:
        gates = gates.filter(province=province)
    if not include_inactive:
        gates = gates.filter(is_active=True)
    return gates


def _build_lookup() -> dict[str, str]:
    """Province key (spaced and squeezed) → today's province code."""
    candidates: list[tuple[str, str]] = []
    codes_by_codename: dict[str, str] = {}
    for code, name, codename in Province.objects.values_list("code", "name", "codename"):
        codes_by_codename[codename] = code
        candidates += [(name, code), (codename.replace("_", " "), code)]
    candidates += FormerProvince.objects.values_list("name", "successor__code")
    for codename, aliases in PROVINCE_ALIASES.items():
        if codename in codes_by_codename:
            candidates += [(alias, codes_by_codename[codename]) for alias in aliases]

    return province_lookup_from(candidates)


def _province_lookup() -> dict[str, str]:
    global _lookup
    if _lookup is None:
        lookup = _build_lookup()
        # Not cached while empty: before the data migrations (or after a test flush) an empty
        # table would otherwise stay for the life of the process.
        if not lookup:
            return lookup
        _lookup = lookup
    return _lookup


def province_lookup_clear() -> None:
    """Forget the cached lookup table, e.g. after reloading the geography or in tests."""
    global _lookup
    _lookup = None


def province_code_resolve(text: str) -> str | None:
    """The code of today's province that `text` names, without a query once the table is cached;
    for imports that resolve many rows."""
    key = province_key(text)
    if not key:
        return None
    lookup = _province_lookup()
    return lookup.get(key) or lookup.get(squeeze(key))


def province_resolve(text: str) -> Province | None:
    """Today's province for a province written any common way: with or without "Tỉnh"/"Thành phố"/
    "TP.", any case, with or without diacritics, short forms ("HCM", "Sài Gòn"), or one of the 63
    names before the 2025 reform (resolved to the province that absorbed it). None if unknown."""
    code = province_code_resolve(text)
    if code is None:
        return None
    # The table holds codes, not rows, so a reloaded geography never hands out a stale row.
    return Province.objects.filter(code=code).first()
