"""From the engine's clusters to unique individuals: reviewers' decisions first, then stable ids.

Pure functions over ids (no database), so the rules are tested on their own:

- `apply_decisions`: a pair confirmed as the same person is joined whatever the engine said
  (must-link), and a pair rejected as different people never ends up in one cluster (cannot-link).
- `assign_numbers`: each cluster keeps the individual number most of its persons already had, so
  adding unrelated persons changes no existing number.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            root = self.find(parent)
            self.parent[item] = root
            return root
        return item

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller id as root: results do not depend on the order of the unions.
            low, high = sorted((root_a, root_b))
            self.parent[high] = low


def _groups(ids: Iterable[str], finder: _UnionFind) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for record_id in ids:
        groups[finder.find(record_id)].append(record_id)
    return groups


def apply_decisions(
    clusters: Mapping[str, str],
    *,
    confirmed: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """record id → cluster key, after reviewers' decisions.

    Confirmed pairs join their clusters. A cluster that then holds a rejected pair is split: the
    groups that confirmed pairs hold together stay whole, and each goes to the first part holding
    none of the persons it was rejected with (largest groups first), else to a new part. The
    engine gives no edges inside a cluster to cut along, and a wrong split only sends persons back
    to review, where a wrong merge would hide a victim. Pairs naming a record not in `clusters`
    (a person merged away since) are ignored.
    """
    everyone = _UnionFind()
    for record_id, cluster_id in clusters.items():
        everyone.union(record_id, cluster_id if cluster_id in clusters else record_id)
    must = _UnionFind()
    for a, b in confirmed:
        if a in clusters and b in clusters:
            everyone.union(a, b)
            must.union(a, b)
    apart: dict[str, set[str]] = defaultdict(set)
    for a, b in rejected:
        if a in clusters and b in clusters:
            apart[a].add(b)
            apart[b].add(a)

    result: dict[str, str] = {}
    for key, members in _groups(clusters, everyone).items():
        if not any(apart.get(m, set()) & set(members) for m in members):
            for member in members:
                result[member] = key
            continue
        units = sorted(_groups(members, must).values(), key=lambda unit: (-len(unit), min(unit)))
        parts: list[tuple[set[str], set[str]]] = []  # (members, the ids they must stay apart from)
        for unit in units:
            refused = set().union(*(apart.get(m, set()) for m in unit))
            for part_members, part_refused in parts:
                if not (part_members & refused) and not (part_refused & set(unit)):
                    part_members.update(unit)
                    part_refused.update(refused)
                    break
            else:
                parts.append((set(unit), refused))
        for part_members, _refused in parts:
            part_key = min(part_members)
            for member in part_members:
                result[member] = part_key
    return result


def assign_numbers(groups: Sequence[Iterable[str]], current: Mapping[str, int]) -> list[int | None]:
    """For each group of person ids, the individual number it keeps (None: it needs a new one).

    A group takes the number held by most of its persons; each number goes to one group at most;
    ties go to the oldest (smallest) number. Decided greedily over every (group, number) pair,
    most persons first, so a split individual keeps its number where most of it went.
    """
    candidates: list[tuple[int, int, int]] = []
    for index, members in enumerate(groups):
        counts = Counter(current[m] for m in members if m in current)
        candidates.extend((-count, number, index) for number, count in counts.items())
    candidates.sort()
    chosen: list[int | None] = [None] * len(groups)
    taken: set[int] = set()
    for _count, number, index in candidates:
        if chosen[index] is None and number not in taken:
            chosen[index] = number
            taken.add(number)
    return chosen


def pair_key(a: str, b: str) -> tuple[str, str]:
    """An unordered pair as stored: the smaller id first."""
    return (a, b) if a < b else (b, a)
