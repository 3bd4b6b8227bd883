"""The interval audit: for each suppressed cell, every value consistent with what is printed.

The attacker has every printed figure of this release, the figures earlier releases printed for the
period (where they still hold), every relation between the cells (`relations`), and knows counts are
never negative. The least and greatest value of a suppressed cell under all that (two LPs) bound
what can be worked out about it; the interval must be at least the protection width wide.
"""

from collections.abc import Set
from math import ceil, floor

from shield.statistics.disclosure.linear import TOLERANCE, ranges
from shield.statistics.disclosure.relations import System

Interval = tuple[int, int | None]  # None: no upper bound


def fixed_values(system: System, suppressed: Set[int]) -> dict[int, float]:
    """Every number the attacker has, by variable."""
    fixed: dict[int, float] = {v: float(x) for v, x in system.known.items()}
    for v, value in enumerate(system.value):
        if value is not None and v not in suppressed and v not in fixed:
            fixed[v] = float(value)
    return fixed


def intervals(system: System, suppressed: Set[int], only: Set[int] | None = None) -> dict[int, Interval]:
    """The integer interval of each suppressed variable (a known one's is its own value), or of
    those in `only`."""
    fixed = fixed_values(system, suppressed)
    wanted = suppressed if only is None else suppressed & only
    free = [v for v in range(system.size) if v not in fixed]
    out: dict[int, Interval] = {}
    for v in wanted:
        if v in fixed:
            out[v] = (int(fixed[v]), int(fixed[v]))
    for group in system.components(free):
        targets = [v for v in group if v in wanted]
        if not targets:
            continue
        for v, (low, high) in ranges(group, targets, system.equations, system.inequalities, fixed).items():
            out[v] = (ceil(low - TOLERANCE), None if high is None else floor(high + TOLERANCE))
    return out


def width(interval: Interval) -> float:
    low, high = interval
    return float("inf") if high is None else high - low
