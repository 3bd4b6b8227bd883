"""The linear programs behind the audit and secondary suppression, on HiGHS through SciPy.

Variables are the quantities of a `relations.System`; a variable is either *fixed* (a number the
attacker has: printed in this release or an earlier one) or *free* (suppressed, or a cell an earlier
release suppressed). Relations are substituted with the fixed numbers, so each program only holds
free variables, one connected group of them at a time.
"""

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, csr_matrix, vstack

from shield.statistics.disclosure.relations import Row

# LP answers are floats; a bound within this of an integer is that integer.
TOLERANCE = 1e-6


def _matrix(
    rows: Sequence[Row], columns: Mapping[int, int], fixed: Mapping[int, float], width: int
) -> tuple[csr_matrix, np.ndarray]:
    """The rows over the given columns, with fixed variables moved to the right-hand side."""
    data: list[float] = []
    row_ids: list[int] = []
    col_ids: list[int] = []
    rhs: list[float] = []
    for r, row in enumerate(rows):
        total = 0.0
        for v, coefficient in row:
            if v in columns:
                data.append(coefficient)
                row_ids.append(r)
                col_ids.append(columns[v])
            else:
                total -= coefficient * fixed[v]
        rhs.append(total)
    matrix = coo_matrix((data, (row_ids, col_ids)), shape=(len(rows), width)).tocsr()
    return matrix, np.array(rhs, dtype=float)


def _touching(rows: Iterable[Row], members: set[int]) -> list[Row]:
    return [row for row in rows if any(v in members for v, _ in row)]


def feasible(equations: Sequence[Row], inequalities: Sequence[Row], fixed: Mapping[int, float]) -> bool:
    """Whether non-negative values of the free variables satisfy every relation."""
    free = sorted({v for row in (*equations, *inequalities) for v, _ in row} - set(fixed))
    columns = {v: i for i, v in enumerate(free)}
    if not free:
        ok_eq = all(abs(sum(c * fixed[v] for v, c in row)) <= TOLERANCE for row in equations)
        ok_le = all(sum(c * fixed[v] for v, c in row) <= TOLERANCE for row in inequalities)
        return ok_eq and ok_le
    a_eq, b_eq = _matrix(equations, columns, fixed, len(free))
    a_ub, b_ub = _matrix(inequalities, columns, fixed, len(free))
    result = linprog(
        np.zeros(len(free)),
        A_ub=a_ub if inequalities else None,
        b_ub=b_ub if inequalities else None,
        A_eq=a_eq if equations else None,
        b_eq=b_eq if equations else None,
        bounds=(0, None),
        method="highs",
    )
    return bool(result.status == 0)


def ranges(
    group: Sequence[int],
    targets: Iterable[int],
    equations: Sequence[Row],
    inequalities: Sequence[Row],
    fixed: Mapping[int, float],
) -> dict[int, tuple[float, float | None]]:
    """For each target in a group of free variables: its least and greatest consistent value.

    None as the greatest value: nothing published bounds it from above.
    """
    members = set(group)
    columns = {v: i for i, v in enumerate(group)}
    eq = _touching(equations, members)
    le = _touching(inequalities, members)
    a_eq, b_eq = _matrix(eq, columns, fixed, len(group))
    a_ub, b_ub = _matrix(le, columns, fixed, len(group))
    out: dict[int, tuple[float, float | None]] = {}
    for target in targets:
        objective = np.zeros(len(group))
        bounds: list[float | None] = []
        for sign in (1.0, -1.0):
            objective[columns[target]] = sign
            result = linprog(
                objective,
                A_ub=a_ub if le else None,
                b_ub=b_ub if le else None,
                A_eq=a_eq if eq else None,
                b_eq=b_eq if eq else None,
                bounds=(0, None),
                method="highs",
            )
            if result.status == 3:  # unbounded: only possible upwards (all variables >= 0)
                bounds.append(None)
            elif result.status != 0:
                raise ArithmeticError(f"audit LP failed: {result.message}")
            else:
                bounds.append(sign * float(result.fun))
        low = bounds[0] if bounds[0] is not None else 0.0
        out[target] = (low, bounds[1])
    return out


def breaking_cells(
    group: Sequence[int],
    target: int,
    width: float,
    costs: Mapping[int, float],
    values: Mapping[int, float],
    equations: Sequence[Row],
    inequalities: Sequence[Row],
    fixed: Mapping[int, float],
) -> set[int] | None:
    """The cheapest printed cells to suppress so that `target` may move by `width`.

    Two points consistent with all relations are sought whose `target` values lie `width` apart;
    free variables move at no cost, a printed cell (in `costs`) at its cost per `width` of movement.
    The printed cells that move in the cheapest pair are the answer: suppressing them makes both
    points consistent with what is left, so the target's interval is at least `width` wide.
    None when no pair exists, i.e. the target cannot be protected by suppressing more.
    """
    n = len(group)
    columns = {v: i for i, v in enumerate(group)}
    priced = [v for v in group if v in costs]
    k = len(priced)
    members = set(group)
    eq = _touching(equations, members)
    le = _touching(inequalities, members)
    a_eq, b_eq = _matrix(eq, columns, fixed, n)
    a_ub, b_ub = _matrix(le, columns, fixed, n)
    # Layout: y_up (n), y_down (n), d_up (k), d_down (k).
    size = 2 * n + 2 * k
    blocks_eq = []
    blocks_ub = []
    rhs_eq: list[np.ndarray] = []
    rhs_ub: list[np.ndarray] = []
    for part in range(2):
        if eq:
            blocks_eq.append(_place(a_eq, part * n, size))
            rhs_eq.append(b_eq)
        if le:
            blocks_ub.append(_place(a_ub, part * n, size))
            rhs_ub.append(b_ub)
    # |y_j - a_j| <= d_j for each priced cell, in each point.
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    rhs: list[float] = []
    r = 0
    for part in range(2):
        for m, v in enumerate(priced):
            y = part * n + columns[v]
            d = 2 * n + part * k + m
            rows += [r, r, r + 1, r + 1]
            cols += [y, d, y, d]
            data += [1.0, -1.0, -1.0, -1.0]
            rhs += [values[v], -values[v]]
            r += 2
    # y_down[target] - y_up[target] <= -width
    rows += [r, r]
    cols += [n + columns[target], columns[target]]
    data += [1.0, -1.0]
    rhs.append(-width)
    r += 1
    blocks_ub.append(coo_matrix((data, (rows, cols)), shape=(r, size)).tocsr())
    rhs_ub.append(np.array(rhs))
    objective = np.zeros(size)
    for m, v in enumerate(priced):
        objective[2 * n + m] = objective[2 * n + k + m] = costs[v] / width
    result = linprog(
        objective,
        A_ub=vstack(blocks_ub).tocsr(),
        b_ub=np.concatenate(rhs_ub),
        A_eq=vstack(blocks_eq).tocsr() if blocks_eq else None,
        b_eq=np.concatenate(rhs_eq) if rhs_eq else None,
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        return None
    moved = result.x[2 * n : 2 * n + k] + result.x[2 * n + k :]
    return {v for m, v in enumerate(priced) if moved[m] > TOLERANCE}


def optimal_pattern(
    group: Sequence[int],
    sensitive: Sequence[int],
    width: float,
    costs: Mapping[int, float],
    values: Mapping[int, float],
    equations: Sequence[Row],
    inequalities: Sequence[Row],
    fixed: Mapping[int, float],
    time_limit: float,
) -> set[int] | None:
    """The cheapest set of printed cells to suppress so every sensitive cell can move by `width`.

    A mixed-integer program: one binary per printed cell (suppress it or not) and, for each
    sensitive cell, two points consistent with the relations lying `width` apart in that cell, where
    a printed cell may differ from its value only if suppressed (big-M). Exact for the widths of the
    sensitive cells; the caller audits the result and repairs the cells it adds. None when HiGHS
    finds no solution in the time limit.
    """
    n = len(group)
    columns = {v: i for i, v in enumerate(group)}
    priced = [v for v in group if v in costs]
    k = len(priced)
    members = set(group)
    eq = _touching(equations, members)
    le = _touching(inequalities, members)
    a_eq, b_eq = _matrix(eq, columns, fixed, n)
    a_ub, b_ub = _matrix(le, columns, fixed, n)
    points = 2 * len(sensitive)
    size = k + points * n
    big = float(sum(values.values()) + sum(abs(x) for x in fixed.values()) + width + 1)
    blocks = []
    lower: list[np.ndarray] = []
    upper: list[np.ndarray] = []
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0
    for p in range(points):
        offset = k + p * n
        if eq:
            blocks.append(_place(a_eq, offset, size))
            lower.append(b_eq)
            upper.append(b_eq)
        if le:
            blocks.append(_place(a_ub, offset, size))
            lower.append(np.full(len(le), -np.inf))
            upper.append(b_ub)
        for m, v in enumerate(priced):
            y = offset + columns[v]
            # y - M s <= a  and  y + M s >= a
            rows += [r, r, r + 1, r + 1]
            cols += [y, m, y, m]
            data += [1.0, -big, 1.0, big]
            lo += [-np.inf, values[v]]
            hi += [values[v], np.inf]
            r += 2
    for s, target in enumerate(sensitive):
        up = k + (2 * s) * n + columns[target]
        down = k + (2 * s + 1) * n + columns[target]
        rows += [r, r]
        cols += [up, down]
        data += [1.0, -1.0]
        lo.append(width)
        hi.append(np.inf)
        r += 1
    blocks.append(coo_matrix((data, (rows, cols)), shape=(r, size)).tocsr())
    lower.append(np.array(lo))
    upper.append(np.array(hi))
    objective = np.zeros(size)
    for m, v in enumerate(priced):
        objective[m] = costs[v]
    integrality = np.zeros(size)
    integrality[:k] = 1
    bound_hi = np.full(size, np.inf)
    bound_hi[:k] = 1
    result = milp(
        objective,
        constraints=LinearConstraint(vstack(blocks).tocsr(), np.concatenate(lower), np.concatenate(upper)),
        integrality=integrality,
        bounds=Bounds(np.zeros(size), bound_hi),
        options={"time_limit": time_limit},
    )
    if result.x is None:
        return None
    return {v for m, v in enumerate(priced) if result.x[m] > 0.5}


def _place(matrix: csr_matrix, offset: int, size: int) -> csr_matrix:
    """The matrix shifted right by `offset` columns in a matrix `size` columns wide."""
    coo = matrix.tocoo()
    return coo_matrix((coo.data, (coo.row, coo.col + offset)), shape=(matrix.shape[0], size)).tocsr()
