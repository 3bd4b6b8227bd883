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

People write more than the name in a name field (`split_name`; `parse_name` and so the search
keys and the linkage engine read only the name it leaves):

- Nicknames. Each parenthesis is one or more other names (`Nguyễn Thị Hoa (Hoa Đen)`,
  `Nguyễn Văn A (tức Tí)`, `(Tí, Tèo)`), and so is whatever follows `tức`, `còn gọi là`,
  `hay còn gọi là`, `thường gọi là`, `biệt danh`, `bí danh`, `aka` or `alias` after the name
  (`Lò Văn Tủa tức Tủa`, `Trần Văn Nam còn gọi là Tèo`, `Pham Thi Lan aka Lily`); a further
  marker starts a further nickname. Unaccented `tuc` can be the name Túc, so in text without
  diacritics it counts only after three words and before another (`NGUYEN VAN TUC` is a name).
  A part with digits (`(sinh 1990)`) is not a name and is dropped.
- Words of address in front of the name: `Bà`, `Ông`, `Anh`, `Chị`, `Em`, `Cô`, `Chú`, `Bác`,
  `Cháu`, `Bé`, `Cụ`, `Dì`, `Mợ`, `Thím`, `Cậu`, `Mr`, `Mrs`, `Ms`, `Miss`, `Mx` (any case, a
  final dot allowed; several in a row, `Bà cụ`). Many are names too, so:
  1. Written with its diacritics, a word that is no name (`Bà`, `Chị`, `Chú`, `Cháu`, `Mr`)
     is taken off whatever follows: `Bà Hoa` → `Hoa`, `Mr Smith` → `Smith`.
  2. One that is also a name as written, a given name (`Anh`, `Em`, `Bé`) or a family name
     (`Ông`), is taken off only before a whole name in Vietnamese order: three words or more,
     the first a known family name, the last not one unless Văn or Thị comes second.
     `Anh Nguyễn Văn Nam` → `Nguyễn Văn Nam`, `Anh Nguyễn Minh Tuấn` → `Nguyễn Minh Tuấn`;
     but `Anh Tuấn`, `Anh Nguyen` and `Anh Hoàng Nguyễn` (given name Anh in Western order:
     Nguyễn Hoàng Anh), `ANH TUAN NGUYEN`, `Anh Nguyễn Nam` and `Ông Tùng` stay as they are.
     Many given and middle names are family names too (Hoàng, Đinh, Kim, Quang), hence three
     words: after a dropped word of address the name must still be a name on its own.
  3. Diacritics decide when they are there: `Chu Văn An` is the family name Chu, never `Chú`;
     `Chi Nguyễn Thị Hoa` keeps `Chi`. In text without any diacritics every word of the list
     is ambiguous (`CHU` = Chu or Chú, `CHAU` = Châu or Cháu, `BA` = Ba or Bà) and rule 2
     applies: `CHU VAN AN`, `CHU QUANG DUNG`, `BAC DINH DANG` stay, `CHI NGUYEN THI HOA` →
     `NGUYEN THI HOA`; `MR`, `MRS`, `MS` have no accents to lose and follow rule 1. (`Dượng`
     is left out: unaccented it is the common family name Dương.)
  4. The only word left is never taken (`Anh` alone is a given name), and MRZ text is left
     as it is.
"""

import contextlib
import itertools
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


# Words in front of a name that are how one addresses or refers to the person, not their name
# (DOMAIN.md §4; the module docstring says when they are taken off). As written, casefolded, any
# final dot dropped:
# - never a name in this spelling: taken off whatever follows (`Bà Hoa` is "Mrs Hoa");
_TITLES = frozenset(
    {"bà", "ông", "chị", "chú", "bác", "cháu", "cô", "cụ", "dì", "mợ", "thím", "cậu"}
    | {"mr", "mrs", "ms", "miss", "mx"}
)
# - also a given name as written (`Anh`, `Em`, `Bé`): taken off only before a whole name;
_TITLES_ALSO_GIVEN = frozenset({"anh", "em", "bé"})
# - without diacritics any of them may be a name (`chi`, `ba`, `chu` = Chu, `chau` = Châu):
#   taken off only before a whole name, and only when the text carries no diacritics at all.
_TITLES_FOLDED = frozenset(fold_name(word) for word in _TITLES | _TITLES_ALSO_GIVEN)

# What introduces another name the person goes by, folded (`tức` alone is matched accented when
# the text is, since folded `tuc` can be the given name Túc). Longest first.
_ALIAS_MARKERS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(marker.split())
            for marker in (
                "hay con goi la",
                "con goi la",
                "thuong goi la",
                "hay goi la",
                "con goi",
                "ten goi khac",
                "biet danh",
                "bi danh",
                "aka",
                "alias",
            )
        ),
        key=len,
        reverse=True,
    )
)
_TUC = "tức"
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_ALIAS_SEPARATORS = re.compile(r"[,;/]")
# Punctuation around a word or a nickname: ASCII, dashes, typographic quotes.
_EDGE_PUNCTUATION = " \t,;:.-\"'" + "\u2013\u2014\u201c\u201d\u2018\u2019"


class SplitName(NamedTuple):
    """What was typed in a name field, taken apart: the name itself, the words of address in front
    of it (`Bà`, `Mr`) and the other names given with it (nicknames)."""

    name: str
    honorific: str = ""
    aliases: tuple[str, ...] = ()


def _clean_token(token: str) -> str:
    return token.strip(_EDGE_PUNCTUATION)


def _marker_at(folded: list[str], accented: list[str], i: int, plain_text: bool) -> int:
    """How many words an alias marker starting at word i takes (0: none)."""
    if accented[i] == _TUC or (plain_text and folded[i] == "tuc"):
        return 1
    for marker in _ALIAS_MARKERS:
        if tuple(folded[i : i + len(marker)]) == marker:
            return len(marker)
    return 0


def _alias_parts(text: str) -> list[str]:
    """The names in an alias segment (`Tí, Tèo` → two), a leading marker (`tức Tí`) dropped; a
    segment without letters or with digits (`sinh 1990`) is not a name."""
    out = []
    for part in _ALIAS_SEPARATORS.split(text):
        words = part.split()
        folded = [fold_name(w).replace(" ", "") for w in words]  # `a.k.a.` → `aka`
        accented = [_accented_key(_clean_token(w)) for w in words]
        if len(words) > 1:
            words = words[_marker_at(folded, accented, 0, not _has_diacritics(part)) :]
        alias = _clean_token(" ".join(words))
        if any(ch.isalpha() for ch in alias) and not any(ch.isdigit() for ch in alias):
            out.append(alias)
    return out


def _take_aliases(text: str) -> tuple[str, list[str]]:
    """(the text without its nicknames, the nicknames): parentheses first, then everything after
    a marker (`tức`, `còn gọi là`, `aka`), each marker starting another alias."""
    aliases: list[str] = []
    for inner in _PARENTHESES.findall(text):
        aliases.extend(_alias_parts(inner))
    words = _PARENTHESES.sub(" ", text).split()
    folded = [fold_name(w).replace(" ", "") for w in words]  # `a.k.a.` → `aka`
    accented = [_accented_key(_clean_token(w)) for w in words]
    plain_text = not _has_diacritics(text)
    cuts: list[tuple[int, int]] = []
    i = 1  # a marker needs a name before it
    while i < len(words):
        taken = _marker_at(folded, accented, i, plain_text)
        # Unaccented `tuc` may be the name Túc: a marker only after three words, before another.
        if taken and accented[i] != _TUC and folded[i] == "tuc" and (i < 3 or i + 1 >= len(words)):
            taken = 0
        if taken:
            cuts.append((i, i + taken))
            i += taken
        else:
            i += 1
    if not cuts:
        return " ".join(words), aliases
    bounds = [*cuts, (len(words), len(words))]
    for (_, start), (end, _) in itertools.pairwise(bounds):
        aliases.extend(_alias_parts(" ".join(words[start:end])))
    return " ".join(words[: cuts[0][0]]), aliases


def _is_whole_name(words: list[str]) -> bool:
    """Three words or more in Vietnamese order: opening with a known family name and, unless a
    middle marker comes second, not ending with one (`Nguyễn Văn Nam`, `Nguyễn Minh Tuấn`; not
    `Hoàng Nguyễn`, `Hoàng Minh Nguyễn`, which may be a name in Western order that a word of
    address does not fit: `Anh Hoàng Nguyễn` is Nguyễn Hoàng Anh)."""
    words = [_clean_token(w) for w in words]
    return (
        len(words) >= 3
        and is_known_surname(words[0])
        and (_is_marker(words[1]) or not is_known_surname(words[-1]))
    )


def _takes_title_off(word: str, rest: list[str], plain_text: bool) -> bool:
    """Whether the leading `word` is a word of address rather than part of the name `rest`."""
    if not rest:
        return False  # never the only word
    token = _clean_token(word)
    key = _accented_key(token)
    as_written = key in _TITLES or key in _TITLES_ALSO_GIVEN
    if not (as_written or (plain_text and fold_name(token) in _TITLES_FOLDED)):
        return False
    if key in _TITLES and not is_known_surname(token):
        return True
    # Also a given name (`Anh`), a family name (`Ông`, unaccented `CHU`) or any word once the
    # accents are gone: a word of address only before a whole name.
    return _is_whole_name(rest)


def _take_titles(text: str) -> tuple[str, list[str]]:
    words = text.split()
    plain_text = not _has_diacritics(text)
    titles: list[str] = []
    while len(words) >= 2 and _takes_title_off(words[0], words[1:], plain_text):
        titles.append(words.pop(0))
    return " ".join(words), titles


def split_name(text: str) -> SplitName:
    """The name proper, the words of address before it and the nicknames given with it, from a
    name as people write it (see the module docstring for the rules):
    `Chị Nguyễn Thị Hoa (Hoa Đen)` → `Nguyễn Thị Hoa`, `Chị`, (`Hoa Đen`,).

    Text is repaired first (mojibake, NFC, whitespace). MRZ forms are returned as they are."""
    text = repair(text)
    if "<" in text:
        return SplitName(text)
    rest, aliases = _take_aliases(text)
    name, titles = _take_titles(_clean_token(rest))
    if not _clean_token(name):
        # Only a nickname was typed (`(Tí)`): it is the name.
        if aliases:
            return SplitName(aliases[0], " ".join(titles), tuple(aliases[1:]))
        return SplitName(text)
    # Each nickname once, however cased or accented, and not the name itself again.
    seen, kept = {fold_name(name)}, []
    for alias in aliases:
        if fold_name(alias) not in seen:
            seen.add(fold_name(alias))
            kept.append(alias)
    return SplitName(name, " ".join(titles), tuple(kept))


def parse_name(text: str) -> ParsedName:
    """Family, middle and given name from a name written in any order and case (see the module
    docstring for the rules), words of address and nicknames left out (`split_name`). An empty
    text gives three empty parts."""
    text = split_name(text).name
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
