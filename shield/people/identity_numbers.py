"""Checking identity-document numbers against what is known of their holder.

No database: only Django's lazy translation, for the messages. A check never refuses anything:
victims often carry borrowed or forged papers, so a contradiction is stored with the document as
a warning and shown, and a number that contradicts its holder must never merge people on its own.

What a CCCD number encodes (province, sex and century, birth year) is read by `cccd`, which has
no Django import so that the linkage engine shares it. The old identity card (CMND) has 9 digits
(12 for some issued late); passports 6 to 9 letters and digits.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Re-exported: callers have always found the structural reading here.
from shield.people.cccd import (  # noqa: F401
    FORMER_PROVINCES_CSV,
    SEX_FEMALE,
    SEX_MALE,
    CccdFacts,
    cccd_facts,
    normalize_number,
    province_codes,
)

# Document kinds, as stored by IdentityDocument.kind (kept as plain strings so this module needs
# no models).
CCCD = "cccd"
CMND = "cmnd"
PASSPORT = "passport"

_PASSPORT = re.compile(r"^[0-9A-Z]{6,9}$")


class WarningCode:
    CCCD_FORMAT = "cccd_format"
    CCCD_PROVINCE_UNKNOWN = "cccd_province_unknown"
    CCCD_SEX_MISMATCH = "cccd_sex_mismatch"
    CCCD_BIRTH_YEAR_MISMATCH = "cccd_birth_year_mismatch"
    CMND_FORMAT = "cmnd_format"
    PASSPORT_FORMAT = "passport_format"


WARNING_MESSAGES: dict[str, Promise] = {
    WarningCode.CCCD_FORMAT: _("A personal identification number (CCCD) has exactly 12 digits."),
    WarningCode.CCCD_PROVINCE_UNKNOWN: _(
        "The first three digits of this CCCD are not a province code: check the number."
    ),
    WarningCode.CCCD_SEX_MISMATCH: _(
        "This CCCD number belongs to a person of the other sex: the papers may be borrowed."
    ),
    WarningCode.CCCD_BIRTH_YEAR_MISMATCH: _(
        "This CCCD number gives another year of birth: the papers may be borrowed."
    ),
    WarningCode.CMND_FORMAT: _("An identity card (CMND) number has 9 or 12 digits."),
    WarningCode.PASSPORT_FORMAT: _("A passport number has 6 to 9 letters and digits."),
}


@dataclass(frozen=True)
class NumberWarning:
    """One thing about a document number that does not fit; `code` is what records store."""

    code: str

    @property
    def message(self) -> str:
        return warning_message(self.code)


def warning_message(code: str) -> str:
    """The message for a stored warning code, in the active language (the code itself if unknown)."""
    message = WARNING_MESSAGES.get(code)
    return str(message) if message is not None else code


def check_cccd(
    number: str,
    *,
    sex: str | None = None,
    birth_year: int | None = None,
    birth_year_tolerance: int = 0,
) -> list[NumberWarning]:
    """Warnings for a CCCD number held by a person of `sex` ("female"/"male"; anything else is not
    compared) born in `birth_year` (give a tolerance when the year is itself an estimate)."""
    facts = cccd_facts(number)
    if facts is None:
        return [NumberWarning(WarningCode.CCCD_FORMAT)]
    warnings: list[NumberWarning] = []
    if facts.province_code not in province_codes():
        warnings.append(NumberWarning(WarningCode.CCCD_PROVINCE_UNKNOWN))
    if sex in (SEX_FEMALE, SEX_MALE) and facts.sex != sex:
        warnings.append(NumberWarning(WarningCode.CCCD_SEX_MISMATCH))
    if birth_year is not None and abs(facts.birth_year - birth_year) > birth_year_tolerance:
        warnings.append(NumberWarning(WarningCode.CCCD_BIRTH_YEAR_MISMATCH))
    return warnings


def check_cmnd(number: str) -> list[NumberWarning]:
    digits = normalize_number(number)
    if len(digits) in (9, 12) and digits.isdigit():
        return []
    return [NumberWarning(WarningCode.CMND_FORMAT)]


def check_passport(number: str) -> list[NumberWarning]:
    if _PASSPORT.match(normalize_number(number)):
        return []
    return [NumberWarning(WarningCode.PASSPORT_FORMAT)]


def check_document(
    kind: str,
    number: str,
    *,
    issuing_country: str = "VN",
    sex: str | None = None,
    birth_year: int | None = None,
    birth_year_tolerance: int = 0,
) -> list[NumberWarning]:
    """Warnings for a document of `kind`; kinds without a known structure (birth certificates,
    foreign identity cards) and Vietnamese kinds issued elsewhere get none."""
    if kind == PASSPORT:
        return check_passport(number)
    if str(issuing_country or "VN") != "VN":
        return []
    if kind == CCCD:
        return check_cccd(number, sex=sex, birth_year=birth_year, birth_year_tolerance=birth_year_tolerance)
    if kind == CMND:
        return check_cmnd(number)
    return []
