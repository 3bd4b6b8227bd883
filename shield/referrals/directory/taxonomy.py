"""The types of service (`data/service_types.json`): Law 53/2024 Ch. V support, shelter, family tracing.

One loader, cached: each type has its Vietnamese and English label, the Law 53 basis and the HTCDS
2.0 support-plan type it maps to. Codes are what `Service.service_type` stores.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

# Languages a service may be offered in (ISO 639 codes) and their English names (HSDS `language.name`).
LANGUAGE_NAMES = {
    "vi": "Vietnamese",
    "en": "English",
    "zh": "Chinese",
    "km": "Khmer",
    "lo": "Lao",
    "th": "Thai",
    "hmn": "Hmong",
    "ko": "Korean",
    "ja": "Japanese",
    "ms": "Malay",
}

DATA = Path(__file__).resolve().parent.parent / "data" / "service_types.json"


@dataclass(frozen=True)
class ServiceType:
    code: str
    label_vi: str
    label_en: str
    law53: str
    htcds: str
    shelter: bool

    @property
    def label(self) -> str:
        """The label in the active language (Vietnamese unless English is active)."""
        return self.label_en if (get_language() or "vi").startswith("en") else self.label_vi


@cache
def _load() -> tuple[ServiceType, ...]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(
        ServiceType(
            code=item["code"],
            label_vi=item["label_vi"],
            label_en=item["label_en"],
            law53=item["law53"],
            htcds=item["htcds"],
            shelter=bool(item.get("shelter", False)),
        )
        for item in raw["service_types"]
    )


@cache
def _by_code() -> dict[str, ServiceType]:
    return {t.code: t for t in _load()}


def service_types() -> list[ServiceType]:
    return list(_load())


def service_type(code: str) -> ServiceType | None:
    return _by_code().get(code)


def codes() -> frozenset[str]:
    return frozenset(_by_code())


def label_of(code: str) -> str:
    found = service_type(code)
    return found.label if found else code


def choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in _load()]


def is_shelter(service_type: str) -> bool:
    found = _by_code().get(service_type)
    return bool(found and found.shelter)
