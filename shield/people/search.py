"""How people are found by name or document number: the keys stored for a person and the keys a
query asks for. Services store the keys, selectors query them, the demo generator bulk-loads them.

Each person has a row in `PersonNameToken` for every word of their names (full name without
words of address such as `Chị`, parsed parts, aliases and nicknames typed with the name),
folded, variants merged (`huynh` → `hoang`), and one for every *pair* of those words except
Văn and Thị (`hoa nguyen`). Each row repeats the person's folded name and year of
birth, and is indexed as (token, name_folded, person, birth_year).

A query is answered from one range of that index, in list order: a one-word query (`hoa`) from
its word's range, a longer one (`Nguyễn Thị Hoa` → `nguyen`, `hoa`) from the pair of its two
rarest words (`hoa nguyen`), any further words probed by primary key. The year of birth is
checked inside the index. So the first page costs about one page of index entries however
common the words are, and counting the matches is a count of one range.

Why this rather than a trigram index on `name_folded`:

- Vietnamese names are a few short, very common syllables, and a query means "persons having
  *all* these syllables, in any order". A trigram index would match `hoa` inside `hoang` and
  `khoa` and need a recheck, and common trigrams (`ngu`, `guy`, `uye`, `yen` for 38% of people)
  make its bitmaps huge; it cannot return rows in name order either, so every page would sort
  all matches.
- Ordering by `name_folded` and filtering by words in separate indexes walks the order until
  enough matches turn up: for `nguyen thi hoa` that is past every name before "nguyen", and a
  single word's range has the same problem for the other word. The pair's range holds exactly
  the matches, already in order.
- Regional variants (Hoàng/Huỳnh, Vũ/Võ) and aliases fold into the same keys: one equality
  lookup, no OR over spellings, no separate alias search.
- It is plain B-tree, the same on SQLite and PostgreSQL, so the tests exercise the production
  query and nothing depends on the `pg_trgm` extension being installable.

The cost is storage: about five rows per person (three words, one or three pairs), rewritten
when a name, an alias or the year of birth changes.
"""

import re
from dataclasses import dataclass
from itertools import combinations

from shield.people.identity_numbers import normalize_number
from shield.people.names import MIDDLE_MARKERS, fold_name, search_key, split_name, surname_rank

# Words a query may omit or add without changing who it means: Văn and Thị are often dropped.
# They are never part of a pair.
OPTIONAL_QUERY_WORDS = frozenset({"van", "thi"})
MAX_WORD_LENGTH = 29  # so that a pair fits the 60 characters of a key
_YEAR = re.compile(r"^(19|20)\d\d$")
MIN_DOCUMENT_QUERY = 6


def word_key(word: str) -> str:
    return search_key(word)[:MAX_WORD_LENGTH]


def pair_key(a: str, b: str) -> str:
    """The key of two words together, whatever their order (`hoa nguyen`)."""
    return " ".join(sorted((a, b)))


def name_keys(*names: str) -> set[str]:
    """The search keys of a person with these names (full name, parts, aliases): every word, and
    every pair of words other than Văn and Thị."""
    words = {word_key(word) for name in names for word in fold_name(name).split()}
    paired = sorted(words - OPTIONAL_QUERY_WORDS)
    return words | {pair_key(a, b) for a, b in combinations(paired, 2)}


def person_name_keys(full_name: str, *other_names: str) -> set[str]:
    """The search keys of a person: the name typed in `full_name` without its words of address
    (`Chị`, `Mr`) but with the nicknames typed in it (`(Hoa Đen)`), see `names.split_name`, and
    the other names (parts, aliases) as they are."""
    typed = split_name(full_name)
    return name_keys(typed.name, *typed.aliases, *other_names)


def looks_like_document_number(text: str) -> bool:
    """At least six letters and digits, mostly digits (`001190012345`, `C1234567`, `B 123 456`)."""
    normalized = normalize_number(text)
    if len(normalized) < MIN_DOCUMENT_QUERY:
        return False
    digits = sum(ch.isdigit() for ch in normalized)
    return digits * 3 >= len(normalized) * 2


@dataclass(frozen=True)
class NameQuery:
    """What a typed name query asks for: words every match must have, and a year written in it."""

    keys: frozenset[str]
    birth_year: int | None = None


def parse_query(text: str) -> NameQuery:
    """`NGUYEN HOA`, `Nguyễn Thị Hoa`, `hoa 1995` → word keys (variants merged) and a birth year.

    Văn and Thị are dropped unless the query has nothing else, because records and queries
    include or omit them freely.
    """
    year: int | None = None
    words: list[str] = []
    for word in fold_name(text).split():
        if _YEAR.match(word) and year is None:
            year = int(word)
        else:
            words.append(word)
    keys = {word_key(w) for w in words}
    significant = keys - OPTIONAL_QUERY_WORDS
    return NameQuery(keys=frozenset(significant or keys), birth_year=year)


def by_selectivity(keys: frozenset[str]) -> list[str]:
    """Word keys, the likely rarest first: given names, then family names from the rarest to
    Nguyễn, then Văn, Thị and A. A guess from the name lists, so it costs no query."""

    def commonness(key: str) -> tuple[int, int, int, str]:
        if key in MIDDLE_MARKERS:
            return (2, 0, 0, key)
        rank = surname_rank(key)
        if rank is not None:
            return (1, -rank, 0, key)
        return (0, 0, -len(key), key)

    return sorted(keys, key=commonness)


@dataclass(frozen=True)
class SearchPlan:
    """The key whose index range holds the matches in order, and the keys to check besides."""

    driver: str
    probes: tuple[str, ...] = ()


def search_plan(keys: frozenset[str]) -> SearchPlan | None:
    """Read the pair of the two rarest words when there are two (pairs never include Văn or
    Thị, which `parse_query` keeps only when the query has nothing else), else the one word."""
    ordered = by_selectivity(keys)
    if not ordered:
        return None
    pairable = [k for k in ordered if k not in OPTIONAL_QUERY_WORDS]
    if len(pairable) >= 2:
        driver = pair_key(pairable[0], pairable[1])
        return SearchPlan(driver, tuple(k for k in ordered if k not in pairable[:2]))
    return SearchPlan(ordered[0], tuple(ordered[1:]))
