"""Term frequencies for files too small to train on.

A file of a few hundred records cannot tell how rare a name is (a name seen once may still be
common), but it can show that a name, or a province, is common in it: half of a Hà Nội agency's
records say Hà Nội. And some frequencies are known beforehand: DOMAIN.md §4 publishes the shares
of the four commonest family names (Nguyễn ≈ 38%, Trần 11%, Lê 9.5%, Phạm 7.1%), so `Nguyễn`
is almost no evidence however few records there are.

Each value's frequency is the file's own count blended with a prior (`PRIOR_RECORDS`
pseudo-records): the published share where there is one, else the level's average frequency
(the reference model's u probability, which makes an unknown value neutral). The reference
model's term-frequency levels are floored at their average (`tf_minimum_u_value`), so a small
file can only take weight away from a common value, never add weight to a value it merely saw
rarely. Files large enough to train count their own frequencies (Splink's default).
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from shield.linkage.engine.normalise import Record, features
from shield.people.surname_shares import KINH_SURNAME_SHARES, MINORITY_SURNAMES, PUBLISHED_SHARE_COUNT

# DOMAIN.md §4: the shares of the commonest Vietnamese family names among people, as published
# (the rest of the shared table is an approximation, so it is not trusted here).
FAMILY_NAME_SHARES = {name: percent / 100 for name, percent in KINH_SURNAME_SHARES[:PUBLISHED_SHARE_COUNT]}

# How many records' worth of belief the prior frequencies carry against the file's own counts.
PRIOR_RECORDS = 200


def _family_key(family_name: str) -> str:
    """A family name as the `family` feature holds it (folded, Hoàng/Huỳnh and Vũ/Võ as one)."""
    return str(features(Record("known", f"{family_name} An"))["family"])


@cache
def prior_shares() -> dict[str, dict[str, float]]:
    """feature column → {feature value: known share among people}."""
    family = {_family_key(name): share for name, share in FAMILY_NAME_SHARES.items()}
    return {"family": family}


@cache
def vietnamese_family_names() -> frozenset[str]:
    """The family-name feature of every Kinh and minority family name Shield knows."""
    names = [name for name, _ in KINH_SURNAME_SHARES] + list(MINORITY_SURNAMES)
    return frozenset(_family_key(name) for name in names)


def vietnamese_name_share(rows: Sequence[Mapping[str, Any]]) -> float:
    """The share of records with a family name whose family name is a known Vietnamese one."""
    known = vietnamese_family_names()
    named = [row["family"] for row in rows if row["family"]]
    return sum(family in known for family in named) / len(named) if named else 0.0


def blended_frequencies(
    values: Iterable[Any], average: float, prior: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Each non-empty value's frequency: its count in `values` plus `PRIOR_RECORDS` records
    distributed as `prior` (a value without a prior share gets `average`), over the whole."""
    counts = Counter(value for value in values if value)
    total = sum(counts.values())
    prior = prior or {}
    return {
        value: (count + PRIOR_RECORDS * prior.get(value, average)) / (total + PRIOR_RECORDS)
        for value, count in counts.items()
    }


def tf_tables(
    rows: Sequence[Mapping[str, Any]], averages: Mapping[str, float]
) -> dict[str, dict[str, float]]:
    """For each term-frequency column (→ its average frequency), value → blended frequency."""
    priors = prior_shares()
    return {
        column: blended_frequencies((row[column] for row in rows), average, priors.get(column))
        for column, average in averages.items()
    }
