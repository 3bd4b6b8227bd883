"""The structure of Vietnamese identity numbers: what a CCCD number says about its holder.

Pure Python (no Django) so that the linkage engine can read numbers the same way the person
registry does; `identity_numbers` adds the warnings and their translated messages on top.

The 12-digit personal identification number (CCCD, căn cước; Circular 07/2016/TT-BCA):

- digits 1-3: the province where the birth was registered, the old (pre-2025) GSO province code
  with a leading 0 (`001` Hà Nội … `096` Cà Mau);
- digit 4: sex and century of birth: 0/1 male/female born 1900-1999, 2/3 born 2000-2099, 4/5 in
  the 2100s, 6/7 in the 2200s, 8/9 in the 2300s (even male, odd female);
- digits 5-6: the last two digits of the year of birth; digits 7-12: a serial number.

The old identity card (CMND) has 9 digits (12 for some issued late).
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FORMER_PROVINCES_CSV = Path(__file__).resolve().parent.parent / "geo" / "data" / "former_provinces.csv"

SEX_FEMALE = "female"
SEX_MALE = "male"

_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Za-z]+")


def normalize_number(number: str) -> str:
    """Letters and digits only, upper case: the form documents are searched and compared by."""
    return _NOT_ALPHANUMERIC.sub("", number).upper()


@cache
def province_codes() -> frozenset[str]:
    """The CCCD province codes: the 63 former provinces' codes with a leading 0."""
    with FORMER_PROVINCES_CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(f"0{row['code']}" for row in csv.DictReader(handle))


@dataclass(frozen=True)
class CccdFacts:
    """What the structure of a CCCD number says about its holder."""

    province_code: str
    sex: str
    birth_year: int


def cccd_facts(number: str) -> CccdFacts | None:
    """Province code, sex and birth year read from a CCCD number; None if it is not 12 digits."""
    digits = normalize_number(number)
    if len(digits) != 12 or not digits.isdigit():
        return None
    code = int(digits[3])
    return CccdFacts(
        province_code=digits[:3],
        sex=SEX_MALE if code % 2 == 0 else SEX_FEMALE,
        birth_year=1900 + 100 * (code // 2) + int(digits[4:6]),
    )
