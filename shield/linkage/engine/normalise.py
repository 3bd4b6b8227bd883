"""From a record as an agency wrote it to the comparable features the model compares (DOMAIN.md §4).

Every feature is computed here, in Python, so that the model's SQL stays plain column comparisons
that run unchanged on DuckDB and Spark. Names reuse the person registry's parser and folding
(`shield.people.names`), identity numbers its CCCD reading (`shield.people.cccd`).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from shield.geo.names import fold
from shield.linkage.engine.provinces import resolve_province
from shield.people.cccd import SEX_FEMALE, SEX_MALE, cccd_facts, normalize_number, province_codes
from shield.people.names import MIDDLE_MARKERS, fold_name, parse_name, search_key

# The five Vietnamese tone marks as combining characters (grave, acute, hook, tilde, dot below).
# The other marks (ă â ê ô ơ ư) are part of the letter and stay where they are.
_TONE_MARKS = frozenset("\u0300\u0301\u0309\u0303\u0323")

# Characters that look like Vietnamese letters or nothing at all but would keep two equal spellings
# apart: the eth (ð, casefolded Ð) typed or converted for đ, and zero-width spaces and joiners
# copied from web pages and chat. (Folded forms drop them already: `shield.geo.names.fold`.)
_LOOK_ALIKES = str.maketrans({"ð": "đ", "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None})

# A year alone is often an estimate ("about 17 years old" written as a year): compared with a
# tolerance of this many years; a CCCD's birth year is checked against it with the same slack.
ESTIMATE_TOLERANCE_YEARS = 2

_SEX_WORDS = {
    "m": "M",
    "male": "M",
    "nam": "M",
    "trai": "M",
    "f": "F",
    "female": "F",
    "nu": "F",
    "gai": "F",
    "w": "F",
}

_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{1,2})[/.](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
)

# The name of the document written before its number (`CCCD: 001190012345`, `Số CMND 0123…`,
# `Hộ chiếu: C1234567`), folded; taken off only when something other than a letter or digit
# follows it, so that a passport number's own letters (`PP1234567`, `C1234567`) stay.
_ID_LABEL = re.compile(
    r"^(?:so|no|id|cccd|cmnd|cmt|cmtnd|cc|can cuoc|the can cuoc|chung minh nhan dan|hc|ho chieu"
    r"|passport|pp)(?![a-z0-9])[\s:.#/-]*"
)

# Identity numbers shorter than this are too easily shared by chance to count as one.
MIN_ID_LENGTH = 5

ID_OK = "ok"  # nothing about the number contradicts the record that carries it
ID_CONTRADICTS = "contradicts"  # a CCCD whose sex, birth year or province code does not fit


@dataclass(frozen=True)
class Record:
    """One input record, as the source wrote it (the CLI's columns)."""

    record_id: str
    full_name: str = ""
    sex: str = ""
    birth_date: str = ""
    id_number: str = ""
    province: str = ""
    source: str = ""


@dataclass(frozen=True)
class BirthDate:
    year: int | None
    month: int | None
    day: int | None

    @property
    def precision(self) -> str | None:
        if self.year is None:
            return None
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    @property
    def iso(self) -> str | None:
        """The full date as YYYY-MM-DD when it is known to the day."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def tone_key(text: str) -> str:
    """Accented text that compares equal whichever syllable letter carries the tone mark (old
    `Hoà` and new `Hòa` style): per word, the tone mark is taken off its letter and put at the end."""
    words = []
    text = text.casefold().translate(_LOOK_ALIKES)
    for word in unicodedata.normalize("NFD", text.replace("đ", "\x00")).split():
        tones = "".join(ch for ch in word if ch in _TONE_MARKS)
        base = "".join(ch for ch in word if ch not in _TONE_MARKS)
        words.append(unicodedata.normalize("NFC", base + tones).replace("\x00", "đ"))
    return " ".join(words)


@dataclass(frozen=True)
class NameFeatures:
    family: str | None  # folded, Hoàng/Huỳnh and Vũ/Võ as one
    given: str | None  # accented, tone placement normalised
    given_folded: str | None
    middle: str | None  # folded, without Văn/Thị (weak) or other markers
    tokens: str | None  # every folded token, family as its variant key, sorted: order-independent
    initials: str | None  # first letters of family and given name, for blocking past typos


@lru_cache(maxsize=500_000)
def name_features(full_name: str) -> NameFeatures:
    """Features of a full name written in any order, case, MRZ or passport form, without the
    words of address and nicknames typed with it (`Bà`, `Mr`, `(Hoa Đen)`, `tức Tí`: see
    `shield.people.names.split_name`). Cached: the same spelling recurs many times in a large file."""
    parsed = parse_name(full_name)
    family = search_key(parsed.family) or None
    given_folded = fold_name(parsed.given) or None
    middle_tokens = [t for t in fold_name(parsed.middle).split() if t not in MIDDLE_MARKERS]
    all_tokens = [search_key(t) for t in fold_name(parsed.full).split()]
    core = [t for t in all_tokens if t not in MIDDLE_MARKERS] or all_tokens
    return NameFeatures(
        family=family,
        given=tone_key(parsed.given) or None,
        given_folded=given_folded,
        middle=" ".join(middle_tokens) or None,
        tokens=" ".join(sorted(core)) or None,
        initials=(family[0] + given_folded[0]) if family and given_folded else None,
    )


def parse_sex(text: str) -> str | None:
    """`M`, `F` or None; the contract's `M`/`F` and the common Vietnamese and English words."""
    return _SEX_WORDS.get(fold_name(text))


def parse_birth_date(text: str) -> BirthDate:
    """A birth date known to the day, the month or the year; unreadable text counts as unknown
    (the contract allows YYYY-MM-DD, YYYY-MM and YYYY; dd/mm/yyyy is accepted as Vietnamese
    forms write it)."""
    text = text.strip()
    for pattern, parts in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        values = dict(zip(parts, (int(g) for g in match.groups()), strict=True))
        year, month, day = values["y"], values.get("m"), values.get("d")
        if not 1800 <= year <= 2200:
            return BirthDate(None, None, None)
        if month is not None and not 1 <= month <= 12:
            return BirthDate(year, None, None)
        if day is not None and month is not None:
            try:
                datetime.date(year, month, day)
            except ValueError:
                return BirthDate(year, month, None)
        return BirthDate(year, month, day)
    return BirthDate(None, None, None)


def identity_number(text: str) -> str:
    """The number as `normalize_number` writes it, without the document's name before it."""
    folded = fold(text)
    for _ in range(3):  # `Số CCCD: …`: a word and a name
        folded = _ID_LABEL.sub("", folded, count=1)
    return normalize_number(folded)


def id_kind(number: str) -> str | None:
    if len(number) < MIN_ID_LENGTH:
        return None
    if number.isdigit() and len(number) == 12:
        return "cccd"
    if number.isdigit() and len(number) == 9:
        return "cmnd"
    return "other"


def id_status(number: str, *, sex: str | None, birth: BirthDate) -> str:
    """Whether a number fits the record that carries it. Only a CCCD says anything about its
    holder; a year alone may be an estimate, so it gets a year's slack."""
    facts = cccd_facts(number) if id_kind(number) == "cccd" else None
    if facts is None:
        return ID_OK
    if facts.province_code not in province_codes():
        return ID_CONTRADICTS
    if sex is not None and facts.sex != {"M": SEX_MALE, "F": SEX_FEMALE}[sex]:
        return ID_CONTRADICTS
    tolerance = 0 if birth.precision in ("day", "month") else ESTIMATE_TOLERANCE_YEARS
    if birth.year is not None and abs(facts.birth_year - birth.year) > tolerance:
        return ID_CONTRADICTS
    return ID_OK


def birth_year_from_id(number: str) -> BirthDate:
    """The birth year a CCCD carries, as a year-only date, for a record that gives no date (none
    for other numbers or a CCCD of no known province). Only a year: the number may be borrowed, and
    a year compared with the other records' dates is evidence the model weighs, not a merge."""
    facts = cccd_facts(number) if id_kind(number) == "cccd" else None
    if facts is None or facts.province_code not in province_codes():
        return BirthDate(None, None, None)
    return BirthDate(facts.birth_year, None, None)


def features(record: Record) -> dict[str, Any]:
    """The model's input row for a record (every value a str, an int or None)."""
    name = name_features(record.full_name)
    sex = parse_sex(record.sex)
    birth = parse_birth_date(record.birth_date)
    number = identity_number(record.id_number)
    kind = id_kind(number)
    birth = birth if birth.year is not None else birth_year_from_id(number)
    province = resolve_province(record.province)
    return {
        "family": name.family,
        "given": name.given,
        "given_folded": name.given_folded,
        "middle": name.middle,
        "name_tokens": name.tokens,
        "initials": name.initials,
        "sex": sex,
        "birth_year": birth.year,
        "birth_month": birth.month,
        "birth_day": birth.day,
        "birth_date": birth.iso,
        "birth_precision": birth.precision,
        "id_number": number if kind else None,
        "id_kind": kind,
        "id_status": id_status(number, sex=sex, birth=birth) if kind else None,
        "province": province.current,
        "province_former": province.former,
    }


FEATURE_COLUMNS = tuple(features(Record(record_id="")).keys())
