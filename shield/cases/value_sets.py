"""HTCDS value sets (IOM's Human Trafficking Case Data Standard v2.0, CC BY 4.0) from
`data/htcds_value_sets.json`: the choices of the trafficking details and their validation.

The stored values are HTCDS value names ("ForcedLabour"), so exports in HTCDS shape need no
mapping; labels come in English and Vietnamese from the same file. The fields that use these sets
carry no `choices=` in the database schema, so adding a value (as Zalo was added) is a data change,
not a migration.
"""

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data" / "htcds_value_sets.json"

FORMS_OF_EXPLOITATION = "forms_of_exploitation"
METHODS_OF_CONTROL = "methods_of_control"
RECRUITMENT_METHODS = "recruitment_methods"
WEBSITES_AND_APPS = "websites_and_apps"
RELATIONSHIP_TO_TRAFFICKER = "relationship_to_trafficker"
TRAFFICKING_STATUS = "trafficking_status"
TRAFFICKING_STATUS_DECIDED_BY = "trafficking_status_decided_by"
PLACE_KINDS = "place_kinds"


@cache
def _document() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def _set(name: str) -> dict[str, Any]:
    try:
        found: dict[str, Any] = _document()["value_sets"][name]
    except KeyError as exc:
        raise KeyError(f"No HTCDS value set named {name!r} in {DATA.name}") from exc
    return found


def _label_now(english: str, vietnamese: str) -> str:
    return vietnamese if (get_language() or "").startswith("vi") else english


_lazy_label = lazy(_label_now, str)


def values(name: str) -> tuple[str, ...]:
    """The value names of a set, in the standard's order."""
    return tuple(v["value"] for v in _set(name)["values"])


def choices(name: str) -> list[tuple[str, str]]:
    """(value, label) pairs for forms; each label follows the active language when shown."""
    return [(v["value"], _lazy_label(v["label"], v["label_vi"])) for v in _set(name)["values"]]


def label(name: str, value: str) -> str:
    """The label of one value in the active language (the value itself when unknown)."""
    for v in _set(name)["values"]:
        if v["value"] == value:
            return _label_now(v["label"], v["label_vi"])
    return value


def is_multiple(name: str) -> bool:
    return bool(_set(name)["multiple"])


def htcds_field(name: str) -> str:
    """The HTCDS field name(s) the set comes from, for exports."""
    return str(_set(name)["htcds_field"])


def unknown(name: str, chosen: Iterable[str]) -> list[str]:
    """The chosen values that are not in the set (empty when all are valid)."""
    known = set(values(name))
    return [value for value in chosen if value not in known]


def decision_org_for_agency_kind(kind: str) -> str:
    """The HTCDS `vic_TraffickingStatusDecisionMakingOrg` value for one of Shield's agency kinds."""
    mapping: dict[str, str] = _document()["agency_kind_to_decision_org"]
    return mapping.get(kind, "Other")


def trafficking_status_for(identification_status: str) -> str:
    """The HTCDS `vic_TraffickingStatus` value for an identification decision's status."""
    mapping: dict[str, str] = _document()["identification_status_to_htcds"]
    return mapping[identification_status]
