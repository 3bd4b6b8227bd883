"""k-anonymity of record-level data: generalise quasi-identifiers along hierarchies, then suppress.

A release is k-anonymous when every combination of quasi-identifier values it shows is shared by
at least k records (Sweeney 2002): nobody who knows a person's sex, age band, citizenship, place,
year and forms of exploitation can narrow them down to fewer than k rows.

The method is full-domain generalisation with suppression, greedy as Datafly (Sweeney 2002): while
more records sit in classes smaller than k than the suppression budget allows, one quasi-identifier
is generalised one level for every record - the one whose next level leaves the fewest records in
small classes (Datafly's "most distinct values" breaks ties; Datafly alone over-generalises small
data sets); then the records still in small classes are suppressed (left out). The result and a
report of what was done come back together; `check` verifies any table independently.

Pure Python, no Django. (pycanon, the usual checker, cannot be installed beside Shield's typing
dependencies; this does what its `k_anonymity` does for one table.)
"""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

SUPPRESSED = "*"
CTDC_K = 11
# Up to a tenth of the records may be left out rather than generalise further (on Shield's demo
# data, 5 % left only the year; 10 % keeps sex, age group and citizenship for 98 of 108 people).
MAX_SUPPRESSED_SHARE = 0.10

Record = dict[str, str]
Generaliser = Callable[[str], str]


@dataclass(frozen=True)
class Hierarchy:
    """One quasi-identifier and its generalisation steps, each one coarser than the one before.

    `steps[i]` maps a level-0 value to its level-(i+1) value. The last level, one past the steps,
    is always `*` (the attribute withheld).
    """

    attribute: str
    steps: tuple[Generaliser, ...] = ()
    # What each level is called in the report (level 0 first, `*` last).
    level_names: tuple[str, ...] = ()

    @property
    def top(self) -> int:
        return len(self.steps) + 1

    def value(self, original: str, level: int) -> str:
        if level <= 0:
            return original
        if level > len(self.steps):
            return SUPPRESSED
        return self.steps[level - 1](original)

    def level_name(self, level: int) -> str:
        if level < len(self.level_names):
            return self.level_names[level]
        return SUPPRESSED if level >= self.top else f"level {level}"


@dataclass
class Report:
    k: int
    records_in: int
    records_out: int
    suppressed: int
    achieved_k: int  # the smallest class left (0 when nothing is left)
    classes: int
    levels: dict[str, int] = field(default_factory=dict)
    level_names: dict[str, str] = field(default_factory=dict)
    max_suppressed: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "k": self.k,
            "records_in": self.records_in,
            "records_out": self.records_out,
            "suppressed": self.suppressed,
            "achieved_k": self.achieved_k,
            "classes": self.classes,
            "levels": dict(self.levels),
            "level_names": dict(self.level_names),
            "max_suppressed": self.max_suppressed,
        }


def _key(record: Mapping[str, str], attributes: Sequence[str]) -> tuple[str, ...]:
    return tuple(record[a] for a in attributes)


def class_sizes(records: Sequence[Mapping[str, str]], attributes: Sequence[str]) -> Counter[tuple[str, ...]]:
    return Counter(_key(r, attributes) for r in records)


def check(records: Sequence[Mapping[str, str]], attributes: Sequence[str]) -> int:
    """The k a table achieves on `attributes`: its smallest equivalence class (0 if empty)."""
    sizes = class_sizes(records, attributes)
    return min(sizes.values()) if sizes else 0


def _generalised(
    originals: Sequence[Mapping[str, str]], hierarchies: Sequence[Hierarchy], levels: Mapping[str, int]
) -> list[Record]:
    out: list[Record] = []
    for record in originals:
        row = dict(record)
        for h in hierarchies:
            row[h.attribute] = h.value(record[h.attribute], levels[h.attribute])
        out.append(row)
    return out


def anonymise(
    records: Sequence[Mapping[str, str]],
    hierarchies: Sequence[Hierarchy],
    *,
    k: int = CTDC_K,
    max_suppressed_share: float = MAX_SUPPRESSED_SHARE,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Record], Report]:
    """Generalise then suppress until every class on the hierarchies' attributes has >= k records.

    At most `max_suppressed_share` of the records may be suppressed before generalising one more
    level; generalisation stops when every attribute is at `*`, so the
    result is always k-anonymous (possibly empty when there are fewer than k records).
    `progress(percent)` is called as levels are tried.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    attributes = [h.attribute for h in hierarchies]
    levels = {h.attribute: 0 for h in hierarchies}
    budget = int(len(records) * max_suppressed_share)
    steps_total = sum(h.top for h in hierarchies) or 1
    while True:
        current = _generalised(records, hierarchies, levels)
        sizes = class_sizes(current, attributes)
        small = sum(n for n in sizes.values() if n < k)
        if progress is not None:
            progress(min(99, int(100 * sum(levels.values()) / steps_total)))
        if small <= budget:
            break
        candidates = [h for h in hierarchies if levels[h.attribute] < h.top]
        if not candidates:
            break
        # Greedy: generalise the attribute whose next level leaves the fewest records in classes
        # smaller than k (Datafly's rule, the most distinct values, breaks ties).
        distinct = {h.attribute: len({r[h.attribute] for r in current}) for h in candidates}

        def left_small(h: Hierarchy) -> int:
            trial = {**levels, h.attribute: levels[h.attribute] + 1}
            sizes_after = class_sizes(_generalised(records, hierarchies, trial), attributes)
            return sum(n for n in sizes_after.values() if n < k)

        widest = min(candidates, key=lambda h: (left_small(h), -distinct[h.attribute], levels[h.attribute]))
        levels[widest.attribute] += 1
    kept = [r for r in current if sizes[_key(r, attributes)] >= k]
    kept_sizes = class_sizes(kept, attributes)
    report = Report(
        k=k,
        records_in=len(records),
        records_out=len(kept),
        suppressed=len(records) - len(kept),
        achieved_k=min(kept_sizes.values()) if kept_sizes else 0,
        classes=len(kept_sizes),
        levels=dict(levels),
        level_names={h.attribute: h.level_name(levels[h.attribute]) for h in hierarchies},
        max_suppressed=budget,
    )
    if progress is not None:
        progress(100)
    return kept, report
