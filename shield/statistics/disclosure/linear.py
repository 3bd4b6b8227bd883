"""The linear programs behind the audit and secondary suppression, on HiGHS through SciPy.

Variables are the quantities of a `relations.System`; a variable is either *fixed* (a number the
attacker has: printed in this release or an earlier one) or *free* (suppressed, or a cell an earlier
release suppressed). Relations are substituted with the fixed numbers, so each program only holds
free variables, one connected group of them at a time.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence

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
    matrix = coo_matrix((np.array(data, dtype=float), (row_ids, col_ids)), shape=(len(rows), width)).tocsr()
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

    None as the greatest value: nothing published bounds it from above. One HiGHS model per group,
    re-solved with a new objective for each bound (warm-started from the previous basis), through
    the HiGHS binding SciPy ships; `linprog` where that binding is missing.
    """
    members = set(group)
    columns = {v: i for i, v in enumerate(group)}
    eq = _touching(equations, members)
    le = _touching(inequalities, members)
    a_eq, b_eq = _matrix(eq, columns, fixed, len(group))
    a_ub, b_ub = _matrix(le, columns, fixed, len(group))
    solve = _highs_solver(a_eq, b_eq, a_ub, b_ub) if _highs is not None else None
    out: dict[int, tuple[float, float | None]] = {}
    for target in targets:
        bounds: list[float | None] = []
        for sign in (1.0, -1.0):
            if solve is not None:
                bounds.append(solve(columns[target], sign))
                continue
            objective = np.zeros(len(group))
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


try:  # SciPy's own HiGHS binding: private, so linprog stands in if a SciPy release drops it.
    from scipy.optimize._highspy import _core as _highs
except ImportError:  # pragma: no cover
    _highs = None


def _highs_solver(
    a_eq: csr_matrix, b_eq: np.ndarray, a_ub: csr_matrix, b_ub: np.ndarray
) -> Callable[[int, float], float | None]:
    """A function (column, sign) -> the optimum of sign * x[column] (None if unbounded)."""
    assert _highs is not None
    matrix = vstack([a_eq, a_ub]).tocsc()
    n = matrix.shape[1]
    lp = _highs.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = matrix.shape[0]
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, _highs.kHighsInf)
    lp.row_lower_ = np.concatenate([b_eq, np.full(len(b_ub), -_highs.kHighsInf)])
    lp.row_upper_ = np.concatenate([b_eq, b_ub])
    sparse = _highs.HighsSparseMatrix()
    sparse.format_ = _highs.MatrixFormat.kColwise
    sparse.num_col_ = n
    sparse.num_row_ = matrix.shape[0]
    sparse.start_ = matrix.indptr.astype(np.int32)
    sparse.index_ = matrix.indices.astype(np.int32)
    sparse.value_ = matrix.data.astype(np.float64)
    lp.a_matrix_ = sparse
    solver = _highs._Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    optimal = _highs.HighsModelStatus.kOptimal
    unbounded = {_highs.HighsModelStatus.kUnbounded, _highs.HighsModelStatus.kUnboundedOrInfeasible}

    def solve(column: int, sign: float) -> float | None:
        solver.changeColCost(column, sign)
        solver.run()
        status = solver.getModelStatus()
        value = float(solver.getInfo().objective_function_value)
        solver.changeColCost(column, 0.0)  # (resets the solution info: read it first)
        if status in unbounded:
            return None
        if status != optimal:
            raise ArithmeticError(f"audit LP failed: {solver.modelStatusToString(status)}")
        return sign * value

    return solve


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


class BreakingModel:
    """`breaking_cells` for many targets of one group, on one HiGHS model re-solved per target.

    The relations only hold the attacker's fixed numbers (earlier releases), and which cells are
    printed only changes the cost of moving them, so one model serves every call: each solve sets
    the deviation costs (zero for a cell already suppressed) and the target's width row.
    """

    def __init__(
        self,
        group: Sequence[int],
        values: Mapping[int, float],
        equations: Sequence[Row],
        inequalities: Sequence[Row],
        fixed: Mapping[int, float],
    ) -> None:
        assert _highs is not None
        n = len(group)
        self.group = list(group)
        self.columns = {v: i for i, v in enumerate(group)}
        self.candidates = [v for v in group if v in values]
        k = len(self.candidates)
        self.n, self.k = n, k
        members = set(group)
        eq = _touching(equations, members)
        le = _touching(inequalities, members)
        a_eq, b_eq = _matrix(eq, self.columns, fixed, n)
        a_ub, b_ub = _matrix(le, self.columns, fixed, n)
        size = 2 * n + 2 * k
        blocks = []
        lower: list[np.ndarray] = []
        upper: list[np.ndarray] = []
        inf = _highs.kHighsInf
        for part in range(2):
            blocks.append(_place(a_eq, part * n, size))
            lower.append(b_eq)
            upper.append(b_eq)
            blocks.append(_place(a_ub, part * n, size))
            lower.append(np.full(len(b_ub), -inf))
            upper.append(b_ub)
        rows: list[int] = []
        cols: list[int] = []
        data: list[float] = []
        lo: list[float] = []
        hi: list[float] = []
        r = 0
        for part in range(2):
            for m, v in enumerate(self.candidates):
                y = part * n + self.columns[v]
                d = 2 * n + part * k + m
                rows += [r, r, r + 1, r + 1]
                cols += [y, d, y, d]
                data += [1.0, -1.0, -1.0, -1.0]
                lo += [-inf, -inf]
                hi += [values[v], -values[v]]
                r += 2
        self.first_target_row = sum(len(x) for x in lower) + r
        for i in range(n):
            rows += [r, r]
            cols += [i, n + i]
            data += [1.0, -1.0]
            lo.append(-inf)
            hi.append(inf)
            r += 1
        blocks.append(coo_matrix((np.array(data), (rows, cols)), shape=(r, size)).tocsr())
        lower.append(np.array(lo))
        upper.append(np.array(hi))
        matrix = vstack(blocks).tocsc()
        lp = _highs.HighsLp()
        lp.num_col_ = size
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = np.zeros(size)
        lp.col_lower_ = np.zeros(size)
        lp.col_upper_ = np.full(size, inf)
        lp.row_lower_ = np.concatenate(lower)
        lp.row_upper_ = np.concatenate(upper)
        sparse = _highs.HighsSparseMatrix()
        sparse.format_ = _highs.MatrixFormat.kColwise
        sparse.num_col_ = size
        sparse.num_row_ = matrix.shape[0]
        sparse.start_ = matrix.indptr.astype(np.int32)
        sparse.index_ = matrix.indices.astype(np.int32)
        sparse.value_ = matrix.data.astype(np.float64)
        lp.a_matrix_ = sparse
        self.solver = _highs._Highs()
        self.solver.setOptionValue("output_flag", False)
        self.solver.passModel(lp)
        self.cost_columns = np.arange(2 * n, size, dtype=np.int32)

    def solve(self, target: int, width: float, costs: Mapping[int, float]) -> set[int] | None:
        per_unit = np.array([costs.get(v, 0.0) / width for v in self.candidates])
        self.solver.changeColsCost(2 * self.k, self.cost_columns, np.concatenate([per_unit, per_unit]))
        row = self.first_target_row + self.columns[target]
        self.solver.changeRowBounds(row, width, _highs.kHighsInf)
        self.solver.run()
        status = self.solver.getModelStatus()
        x = (
            np.array(self.solver.getSolution().col_value)
            if status == _highs.HighsModelStatus.kOptimal
            else None
        )
        self.solver.changeRowBounds(row, -_highs.kHighsInf, _highs.kHighsInf)
        if x is None:
            return None
        n, k = self.n, self.k
        moved = x[2 * n : 2 * n + k] + x[2 * n + k :]
        return {v for m, v in enumerate(self.candidates) if v in costs and moved[m] > TOLERANCE}
