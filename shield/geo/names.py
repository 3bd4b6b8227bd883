"""Folding Vietnamese text into a form that compares equal however it was typed.

Pure Python on purpose: name matching elsewhere (people, linkage) reuses `fold` without Django.
Folding merges distinct words (Hoa/Hòa/Hóa), so callers that can should compare accented text
first and folded text second.
"""

import re
import unicodedata
from collections.abc import Iterable

# NFD leaves đ/Đ as single letters (the stroke is not a combining mark), so they need mapping by hand;
# with them the look-alike Icelandic eth (ð/Ð), which keyboards and legacy-encoding converters put
# in Vietnamese text for Đ.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")

# Prefixes people put before a province's name; folded, each ending in a space so that "tinh"
# in "ha tinh" or "thanh" in "thanh hoa" is never taken for one.
_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "t p ", "tp ")
_PROVINCE_SUFFIXES = (" city", " province")

# Short and colloquial forms that neither the package nor the former names cover, by the codename
# of today's province. Spaces are optional when matching ("Hanoi", "Danang"), so only forms whose
# letters differ from a known name need listing.
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "ho_chi_minh": ("HCM", "HCMC", "TP HCM", "TPHCM", "Sài Gòn", "Vũng Tàu", "BR-VT"),
    "ha_noi": ("HN", "Hà Tây"),  # Hà Tây merged into Hà Nội in 2008; old papers still name it.
    "dak_lak": ("Đắc Lắc",),
    "lam_dong": ("Đắc Nông",),
}


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, no diacritics (đ→d), runs of whitespace collapsed to one space, trimmed."""
    # Marks are dropped both before and after case folding: a few characters only reveal
    # a combining mark once case-folded (İ → i + dot above), and stripping twice keeps
    # fold(fold(x)) == fold(x).
    text = _strip_marks(text.translate(_D_STROKE)).casefold().translate(_D_STROKE)
    return " ".join(_strip_marks(text).split())


def province_key(text: str) -> str:
    """The comparable core of a province as written: folded, punctuation as spaces, and without
    an administrative prefix ("Tỉnh", "Thành phố", "TP.") or English suffix ("City", "Province")."""
    key = " ".join(_NOT_ALPHANUMERIC.sub(" ", fold(text)).split())
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix):
            key = key.removeprefix(prefix)
            break
    for suffix in _PROVINCE_SUFFIXES:
        if key.endswith(suffix):
            key = key.removesuffix(suffix)
            break
    return key


def squeeze(key: str) -> str:
    """A province key without its spaces, so that "Hanoi" and "Danang" find "ha noi", "da nang"."""
    return key.replace(" ", "")


def province_lookup_from(candidates: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Province key (spaced and squeezed) → province id, from (text, id) pairs naming provinces."""
    lookup: dict[str, str] = {}
    ambiguous: set[str] = set()
    for text, code in candidates:
        key = province_key(text)
        for form in {key, squeeze(key)}:
            if lookup.setdefault(form, code) != code:
                ambiguous.add(form)
    # A form that two provinces share would be a guess; resolving nothing is safer than
    # filing a record under the wrong province.
    for form in ambiguous:
        del lookup[form]
    return lookup
