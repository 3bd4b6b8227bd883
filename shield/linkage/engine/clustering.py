"""Clusters from linked pairs, refusing chains that would put two contradicting records together.

Plain connected components merge through a vague record: `Hoa Nguyen, 1990` links to the Hoa born
3 February 1990 and to another born 21 November 1990, and the two women become one. Here the
links are taken strongest first, and a link is refused when it would put into one cluster two
records that contradict each other outright (`conflict`) and that the model did not link itself;
the refused pair goes to review.

A link made without a person must also rest on evidence that singles one person out
(`identifying`, issue 13): a full birth date or an identity number the two records share (one
keystroke allowed). A name, a birth year and a province agree for namesakes too: in Viet Nam a
common given name with a family name like Nguyễn, Trần or Lê is shared by many people born in
one year in one province, and relatives share family and middle names and the province. The
Fellegi-Sunter model multiplies those agreements as if independent and comes out near certain
for such pairs (synthetic 20,000 records: pairs linked on name, year and province alone were
right about 94 times in 100 whatever the threshold, up to 0.9999). Such a pair, and a direct
link between records that contradict each other outright (a shared number does not excuse
another birth date or sex here: papers are lent), goes to review instead.

Which fields may contradict is the data's to say (`hard_conflicts`): a field counts only where the
trained model has true matches rarely disagree on it. In Vietnamese records an identity number or
a full birth date seldom differs between two records of one person, so a difference there is a
contradiction; in a file whose sources corrupt numbers and dates wholesale (FEBRL: one true pair
in fifteen with different numbers) it is weak evidence, already weighed by the model, and a hard
rule would split people the evidence holds together.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from shield.linkage.engine.model import levels_by_gamma
from shield.linkage.engine.normalise import ID_OK

# The features `conflict` reads.
CONFLICT_FIELDS = (
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_precision",
    "id_number",
    "id_kind",
    "id_status",
)

# Years apart beyond which two birth dates cannot be one person's, however estimated: an
# estimated age is rarely more than two years off, and a chain through a vague record
# (`Nguyễn My, 1994`) must not join two people three years apart that the model did not link.
MAX_BIRTH_YEARS_APART = 2

# The fields a contradiction can be found in, each with the model comparison whose last level
# ("differs") says how often true matches disagree on it.
CONFLICT_COMPARISONS = {"sex": "sex", "birth": "birth", "id": "id_number"}
ALL_CONFLICTS = frozenset(CONFLICT_COMPARISONS)
# A field's difference is a contradiction when it weighs at least this much against a match
# (true pairs differ there 32 times less often than random pairs: m/u ≤ 1/32).
HARD_CONFLICT_BITS = 5.0


def _one_edit(a: str, b: str) -> bool:
    """Equal but for one substituted digit or two neighbours swapped."""
    if len(a) != len(b):
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) <= 1:
        return True
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


def _date_digits(row: Mapping[str, Any]) -> str:
    return f"{row['birth_year']:04d}{row['birth_month']:02d}{row['birth_day']:02d}"


def _dates_conflict(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if a["birth_year"] is None or b["birth_year"] is None:
        return False
    both_full = a["birth_precision"] == "day" and b["birth_precision"] == "day"
    # One keystroke in a full date (a digit, or two neighbours swapped: 1986 / 1916, 1968 / 1986)
    # is a typo however far apart it puts the years.
    if both_full and _one_edit(_date_digits(a), _date_digits(b)):
        return False
    if abs(a["birth_year"] - b["birth_year"]) > MAX_BIRTH_YEARS_APART:
        return True
    if not both_full:
        return False
    ya, ma, da = a["birth_year"], a["birth_month"], a["birth_day"]
    yb, mb, db = b["birth_year"], b["birth_month"], b["birth_day"]
    # One part mistyped, or day and month swapped, is a typo, not another person.
    typo = (ya == yb and (ma == mb or da == db or (ma == db and da == mb))) or (ma == mb and da == db)
    return not typo


def _same_fitting_number(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return bool(
        a["id_number"] and a["id_number"] == b["id_number"] and a["id_status"] == b["id_status"] == ID_OK
    )


def identifying(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two records share evidence that singles out one person: the same full birth date,
    or identity numbers of the same kind, each fitting its record, equal or one keystroke apart."""
    if a["birth_precision"] == b["birth_precision"] == "day" and _date_digits(a) == _date_digits(b):
        return True
    return bool(
        a["id_number"]
        and b["id_number"]
        and a["id_kind"] == b["id_kind"]
        and a["id_status"] == b["id_status"] == ID_OK
        and _one_edit(a["id_number"], b["id_number"])
    )


def contradicts(a: Mapping[str, Any], b: Mapping[str, Any], hard: frozenset[str] = ALL_CONFLICTS) -> bool:
    """Whether two records differ outright on sex or birth date (the `hard` ones of the two),
    whatever number they share: a lent paper does not make two birth dates one."""
    if "sex" in hard and a["sex"] and b["sex"] and a["sex"] != b["sex"]:
        return True
    return "birth" in hard and _dates_conflict(a, b)


def auto_linkable(a: Mapping[str, Any], b: Mapping[str, Any], hard: frozenset[str] = ALL_CONFLICTS) -> bool:
    """Whether a link between two records may be made without a person (`identifying` evidence
    and no outright contradiction); otherwise the pair goes to review."""
    return identifying(a, b) and not contradicts(a, b, hard)


def hard_conflicts(model: Mapping[str, Any]) -> frozenset[str]:
    """The fields (of `ALL_CONFLICTS`) on which a difference contradicts a match, from a trained
    Splink model: those whose "differs" level weighs `HARD_CONFLICT_BITS` or more against."""
    differs = {c["output_column_name"]: levels_by_gamma(c)[-1][1] for c in model["comparisons"]}
    hard = set()
    for name, comparison in CONFLICT_COMPARISONS.items():
        m = differs.get(comparison, {}).get("m_probability")
        u = differs.get(comparison, {}).get("u_probability")
        # Untrained (the file never has the field on both sides): the default, a contradiction.
        if not m or not u or math.log2(m / u) <= -HARD_CONFLICT_BITS:
            hard.add(name)
    return frozenset(hard)


def conflict(a: Mapping[str, Any], b: Mapping[str, Any], hard: frozenset[str] = ALL_CONFLICTS) -> bool:
    """Whether two records contradict each other too plainly to be one person: both sexes known
    and different; birth dates more than a typo apart (a typo: one keystroke in a full date, one
    part of it, day and month swapped, or an estimated year within 2); or two valid numbers of the
    same kind of document, each fitting its record, more than a typo apart. A number both records
    share and both fit outweighs the rest (a date or sex can be mistyped; a shared valid number is
    rarely chance). Only the `hard` fields (`sex`, `birth`, `id`) are looked at."""
    if _same_fitting_number(a, b):
        return False
    if "sex" in hard and a["sex"] and b["sex"] and a["sex"] != b["sex"]:
        return True
    if "birth" in hard and _dates_conflict(a, b):
        return True
    return bool(
        "id" in hard
        and a["id_number"]
        and b["id_number"]
        and a["id_kind"] == b["id_kind"]
        and a["id_status"] == ID_OK
        and b["id_status"] == ID_OK
        and not _one_edit(a["id_number"], b["id_number"])
    )


def cluster(
    count: int,
    links: Iterable[tuple[float, int, int]],
    rows: Sequence[Mapping[str, Any]] | None = None,
    hard: frozenset[str] = ALL_CONFLICTS,
    cannot_link: Iterable[tuple[int, int]] = (),
    *,
    require_identifying: bool = False,
    must_link: Iterable[tuple[int, int]] = (),
) -> list[int]:
    """The cluster (a root record's index) of each of `count` records, from (probability, left,
    right) links; with the records' features as `rows`, links that would join records
    contradicting each other on the `hard` fields are refused, and with `require_identifying`
    also links that are not `auto_linkable` (without `rows`, this is plain connected
    components). A link that would join the two records of a `cannot_link` pair (a person said
    they are two people) is refused too, however the chain runs; a `must_link` pair (a person said
    they are one) needs no identifying evidence."""
    links = sorted(links, key=lambda link: -link[0])
    if rows is not None and require_identifying:
        decided = {(min(x, y), max(x, y)) for x, y in must_link}
        links = [
            link
            for link in links
            if (min(link[1], link[2]), max(link[1], link[2])) in decided
            or auto_linkable(rows[link[1]], rows[link[2]], hard)
        ]
    # Pairs the model linked directly were judged on all their evidence; the contradiction check
    # guards only the pairs a chain would join without the model having linked them.
    judged = {(min(left, right), max(left, right)) for _, left, right in links}
    parent = list(range(count))
    members: dict[int, list[int]] = {}
    apart: dict[int, set[int]] = {}
    for x, y in cannot_link:
        apart.setdefault(x, set()).add(y)
        apart.setdefault(y, set()).add(x)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, left, right in links:
        a, b = root(left), root(right)
        if a == b:
            continue
        group_a, group_b = members.get(a, [a]), members.get(b, [b])
        if apart and any(root(y) == b for x in group_a for y in apart.get(x, ())):
            continue
        if rows is not None and any(
            (min(x, y), max(x, y)) not in judged and conflict(rows[x], rows[y], hard)
            for x in group_a
            for y in group_b
        ):
            continue
        if len(group_a) < len(group_b):
            a, b, group_a, group_b = b, a, group_b, group_a
        parent[b] = a
        members[a] = group_a + group_b
        members.pop(b, None)
    return [root(x) for x in range(count)]
