"""Vietnamese personal names: repairing, folding and parsing them however they were written.

Pure Python (no Django) so that the linkage engine can reuse it. DOMAIN.md §4 explains the
names: family first (`Nguyễn Thị Hoa` = family Nguyễn, middle Thị, given Hoa), while passports
and foreign records write `HOA THI NGUYEN` or the MRZ form `NGUYEN<<THI<HOA`.

Deciding which token is the family name uses the list of family names in `data/surnames.txt`:

1. MRZ (`SURNAME<<GIVEN<NAMES`) and comma (`Nguyen, Thi Hoa`) forms say where the family name
   is, so they are read as they say.
2. If the first token is a known family name, the name is in Vietnamese order, unless the last
   token is a known family name too, the text carries no diacritics (as passports and foreign
   systems write) and the last one is the more common family name (`MAI VAN NGUYEN`).
3. Otherwise, if the last token is a known family name, the name is in Western order: the given
   name first (`Hoa Thi Nguyen`), or the middle names first when the name opens with Văn or Thị
   (`Thi Hoa Nguyen`).
4. Otherwise, if a known family name stands inside the name and is followed by Văn or Thị, the
   given name was put in front of "family middle" (`Hoa Nguyen Thi`).
5. Otherwise Vietnamese order.

A parse is a suggestion: the user can correct the parts, and the record keeps the name as written.
"""

import contextlib
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import NamedTuple, cast

from shield.geo.names import fold

SURNAMES_FILE = Path(__file__).resolve().parent / "data" / "surnames.txt"

# Middle names that carry little identity and mark "a given name follows" (Hmong men use A).
MIDDLE_MARKERS = frozenset({"van", "thi", "a"})

# Regional variants of one family name, folded; each group's first spelling is its search key.
_VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (("hoang", "huynh"), ("vu", "vo"))
_VARIANTS: dict[str, tuple[str, ...]] = {name: group for group in _VARIANT_GROUPS for name in group}

_NOT_WORD = re.compile(r"[\W_]+")
_MRZ_PREFIX = re.compile(r"^P<[A-Z]{3}(?=[A-Z])")


def _windows_1252(byte_values: range) -> str:
    """The characters these bytes become when read as Windows-1252 (undefined ones as Latin-1)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in byte_values)


# UTF-8 read as Windows-1252 shows a lead byte's character followed by a continuation byte's
# (`Nguyá»…n` for `Nguyễn`): only text with such a pair is a candidate for repair.
_MOJIBAKE_HINT = re.compile(
    f"[{re.escape(_windows_1252(range(0xC2, 0xF0)))}][{re.escape(_windows_1252(range(0x80, 0xC0)))}]"
)


class ParsedName(NamedTuple):
    family: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        """The name in Vietnamese order: family, middle, given."""
        return " ".join(part for part in (self.family, self.middle, self.given) if part)

    def folded(self) -> "ParsedName":
        return ParsedName(fold_name(self.family), fold_name(self.middle), fold_name(self.given))


def _sloppy_windows_1252(text: str) -> bytes | None:
    """The bytes a UTF-8 string was before being mis-decoded as Windows-1252 (bytes that code page
    leaves undefined come through as the same code points), or None if it cannot have been."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 256:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def _ftfy_fix_text() -> Callable[[str], str] | None:
    """ftfy's repair when it is installed (it is not a dependency: the fallback covers the usual
    accident)."""
    try:
        from ftfy import fix_text
    except ImportError:
        return None
    return cast(Callable[[str], str], fix_text)


_FIX_TEXT = _ftfy_fix_text()


def repair(text: str) -> str:
    """Mojibake repaired (`Nguyá»…n` → `Nguyễn`), Unicode composed (NFC), whitespace collapsed.

    Uses ftfy when it is installed; otherwise undoes the common accident (UTF-8 read as
    Windows-1252 or Latin-1), and only when the result is valid UTF-8.
    """
    if _FIX_TEXT is not None:
        text = _FIX_TEXT(text)
    elif _MOJIBAKE_HINT.search(text):
        raw = _sloppy_windows_1252(text)
        if raw is not None:
            with contextlib.suppress(UnicodeDecodeError):
                text = raw.decode("utf-8")
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold_name(text: str) -> str:
    """Lower case, no diacritics (đ→d), punctuation and MRZ `<` as spaces, whitespace collapsed."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def name_variants(token: str) -> frozenset[str]:
    """The folded spellings that count as the same name: Hoàng/Huỳnh and Vũ/Võ."""
    folded = fold_name(token)
    return frozenset(_VARIANTS.get(folded, (folded,)))


def search_key(token: str) -> str:
    """One folded key per group of variants (`Huỳnh` and `Hoàng` → `hoang`), for exact lookups."""
    folded = fold_name(token)
    return _VARIANTS.get(folded, (folded,))[0]


def _accented_key(token: str) -> str:
    return unicodedata.normalize("NFC", token).casefold()


@cache
def _surname_ranks() -> tuple[dict[str, int], dict[str, int]]:
    """(accented, folded) family name → rank in the list."""
    accented: dict[str, int] = {}
    folded: dict[str, int] = {}
    names = [line.strip() for line in SURNAMES_FILE.read_text(encoding="utf-8").splitlines()]
    for rank, name in enumerate(n for n in names if n and not n.startswith("#")):
        accented.setdefault(_accented_key(name), rank)
        folded.setdefault(fold_name(name), rank)
    return accented, folded


def surname_rank(token: str) -> int | None:
    """0 for the most common family name (Nguyễn), larger for rarer ones; None if not one.

    A word written with diacritics must match them (`Thảo` is a given name, `Thào` a Hmong clan
    name); one written without is compared folded (`THAO` could be either).
    """
    accented, folded = _surname_ranks()
    if _has_diacritics(token):
        return accented.get(_accented_key(token))
    return folded.get(fold_name(token))


def is_known_surname(token: str) -> bool:
    return surname_rank(token) is not None


def _has_diacritics(text: str) -> bool:
    return fold_name(text) != " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _tidy_case(token: str) -> str:
    """`NGUYỄN` and `nguyễn` become `Nguyễn`; deliberate mixed case (`McLean`) is kept."""
    if token.isupper() or token.islower():
        return token.title()
    return token


def _parts(family: list[str], middle: list[str], given: list[str]) -> ParsedName:
    return ParsedName(
        " ".join(_tidy_case(t) for t in family),
        " ".join(_tidy_case(t) for t in middle),
        " ".join(_tidy_case(t) for t in given),
    )


def _given_names(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(middle, given) from the given-names field of a passport or the part after a comma."""
    return tokens[:-1], tokens[-1:]


def _parse_mrz(text: str) -> ParsedName:
    text = _MRZ_PREFIX.sub("", text.strip().upper())
    surname, _, rest = text.partition("<<")
    middle, given = _given_names([t for t in rest.split("<") if t])
    return _parts([t for t in surname.split("<") if t], middle, given)


def _is_marker(token: str) -> bool:
    return fold_name(token) in MIDDLE_MARKERS


def parse_name(text: str) -> ParsedName:
    """Family, middle and given name from a name written in any order and case (see the module
    docstring for the rules). An empty text gives three empty parts."""
    text = repair(text)
    if "<" in text and " " not in text.strip("<"):
        return _parse_mrz(text)
    if "," in text:
        before, _, after = text.partition(",")
        middle, given = _given_names(after.replace(",", " ").split())
        return _parts(before.split(), middle, given)
    tokens = text.split()
    if len(tokens) <= 1:
        return _parts([], [], tokens)
    first, last = surname_rank(tokens[0]), surname_rank(tokens[-1])
    if first is not None and not (last is not None and last < first and not _has_diacritics(text)):
        return _parts(tokens[:1], tokens[1:-1], tokens[-1:])
    if last is not None:
        front = tokens[:-1]
        if len(front) > 1 and _is_marker(front[0]):
            return _parts(tokens[-1:], front[:-1], front[-1:])
        return _parts(tokens[-1:], front[1:], front[:1])
    for i in range(1, len(tokens) - 1):
        if is_known_surname(tokens[i]) and _is_marker(tokens[i + 1]):
            return _parts([tokens[i]], tokens[i + 1 :] + tokens[1:i], tokens[:1])
    return _parts(tokens[:1], tokens[1:-1], tokens[-1:])


def initials(text: str) -> str:
    """`Nguyễn Thị Hoa` → `N. T. H.`: for showing a name that must not be shown."""
    return " ".join(f"{word[0].upper()}." for word in repair(text).split() if word[:1].isalnum())
