"""Secondary suppression: the printed cells to withhold so no suppressed cell can be worked out.

Two methods, both ending with the same audit-and-repair loop, so what they return always passes the
audit (`audit.intervals`: every suppressed cell at least `width` wide):

- `optimal`: for each connected group of cells small enough, one mixed-integer program on HiGHS
  (`linear.optimal_pattern`) choosing the cheapest cells so every primary cell can move by the
  width; then the loop below for the cells it added.
- `heuristic`: the loop alone. Audit; for each cell narrower than the width, solve one LP
  (`linear.breaking_cells`) for the cheapest printed cells whose suppression lets it move by the
  width, suppress them, and audit again until nothing fails.

The cost of suppressing a cell is its value + 1: the total value withheld is kept small (so margins
and large cells stay printed, as tau-ARGUS does by default), and each cell, zeros too, costs something.
"""

from collections.abc import Set

from shield.statistics.disclosure.audit import Interval, intervals, width
from shield.statistics.disclosure.linear import BreakingModel, _highs, breaking_cells, optimal_pattern
from shield.statistics.disclosure.relations import DisclosureError, System

# The optimal program holds two copies of a group's cells per primary cell; beyond this many
# continuous variables (or past the time limit) the group is left to the heuristic.
OPTIMAL_MAX_VARIABLES = 6000
OPTIMAL_TIME_LIMIT = 0.5


def cost(system: System, v: int) -> float:
    value = system.value[v]
    return float((value or 0) + 1)


def _priced(system: System, group: list[int], suppressed: Set[int]) -> dict[int, float]:
    return {
        v: cost(system, v)
        for v in group
        if system.value[v] is not None and v not in suppressed and v not in system.known
    }


def _groups(system: System) -> dict[int, list[int]]:
    """The connected group of every variable an attacker does not already know."""
    movable = [v for v in range(system.size) if v not in system.known]
    by_variable: dict[int, list[int]] = {}
    for group in system.components(movable):
        for v in group:
            by_variable[v] = group
    return by_variable


def suppress(
    system: System, primary: Set[int], *, protection: int, method: str
) -> tuple[set[int], dict[int, Interval]]:
    """The suppressed variables (primary and secondary) and their audited intervals."""
    already = sorted(v for v in primary if v in system.known)
    if already:
        raise DisclosureError(
            f"{len(already)} small cell(s) were printed by an earlier release for this period "
            "and cannot be protected now; correct that release first"
        )
    suppressed = set(primary)
    groups = _groups(system)
    values = {v: float(x) for v, x in enumerate(system.value) if x is not None}
    known = {v: float(x) for v, x in system.known.items()}
    if method == "optimal":
        seen: set[int] = set()
        for v in sorted(primary):
            group = groups[v]
            if group[0] in seen:
                continue
            seen.add(group[0])
            sensitive = [p for p in group if p in primary]
            if 2 * len(sensitive) * len(group) > OPTIMAL_MAX_VARIABLES:
                continue
            priced = _priced(system, group, suppressed)
            pattern = optimal_pattern(
                group,
                sensitive,
                protection,
                priced,
                {u: values[u] for u in priced},
                system.equations,
                system.inequalities,
                known,
                OPTIMAL_TIME_LIMIT,
            )
            if pattern is not None:
                suppressed |= pattern
    elif method != "heuristic":
        raise ValueError(f"unknown suppression method {method!r}")

    # Suppressing more only frees variables, so an interval never narrows: a cell that passed once
    # passes for good, and each round audits only the cells not yet seen to pass.
    demand: dict[int, float] = {}
    models: dict[int, BreakingModel] = {}
    passed: set[int] = set()
    for _ in range(4 * system.size + 4):
        found = intervals(system, suppressed, only=suppressed - passed)
        passed |= {v for v, box in found.items() if width(box) >= protection}
        failing = sorted((v for v in found if v not in passed), key=lambda v: values.get(v, 0))
        if not failing:
            return suppressed, intervals(system, suppressed)
        for v in failing:
            # A cell still failing after its repair failed only by LP rounding: ask for one more.
            demand[v] = demand[v] + 1 if v in demand else protection
            priced = _priced(system, groups[v], suppressed)
            if _highs is not None:
                key = groups[v][0]
                if key not in models:
                    group_values = {u: values[u] for u in groups[v] if u in values}
                    models[key] = BreakingModel(
                        groups[v], group_values, system.equations, system.inequalities, known
                    )
                added = models[key].solve(v, demand[v], priced)
            else:  # pragma: no cover - SciPy without its HiGHS binding
                added = breaking_cells(
                    groups[v],
                    v,
                    demand[v],
                    priced,
                    {u: values[u] for u in priced},
                    system.equations,
                    system.inequalities,
                    known,
                )
            if added is None:
                raise DisclosureError(
                    "a small cell cannot be protected even by suppressing every other cell: "
                    "earlier releases for this period fix it"
                )
            suppressed |= added
    raise DisclosureError("secondary suppression did not converge")  # pragma: no cover
