"""The interval audit on a known example, rounding, and OpenDP noise."""

import statistics

import pytest

from shield.statistics.disclosure import CellStatus, add_noise, protect, sensitivity
from shield.statistics.disclosure.audit import intervals
from shield.statistics.disclosure.privacy import laplace_counts
from shield.statistics.disclosure.relations import build
from shield.statistics.disclosure.rounding import round_count
from shield.statistics.tables import TOTAL, Count, Table
from shield.statistics.tests.disclosure_tables import grid

T = TOTAL


def test_the_audit_gives_the_intervals_worked_out_by_hand():
    # 2 10 | 12        With the four inner cells withheld and the margins printed, one unknown t
    # 7  9 | 16        fixes them all: 2->t, 10->12-t, 7->9-t, 9->7+t, and t >= 0, 9-t >= 0.
    # 9 19 | 28
    table = grid([[2, 10], [7, 9]])
    protection = protect([table])
    pt = protection.tables[0]
    assert pt.intervals == {
        ("r0", "c0"): (0, 9),
        ("r0", "c1"): (3, 12),
        ("r1", "c0"): (0, 9),
        ("r1", "c1"): (7, 16),
    }
    rows = {row.key: row for row in protection.audit()}
    assert rows[("r0", "c0")].status is CellStatus.PRIMARY
    assert rows[("r0", "c1")].status is CellStatus.SECONDARY
    assert rows[("r1", "c1")].value == 9
    assert all(row.required == 5 and row.ok for row in rows.values())


def test_the_audit_marks_a_narrow_interval_as_a_defect():
    table = grid([[2, 10], [7, 9]])
    system = build([table], [])
    index = system.table_index[0]
    # Withholding the small cell and its row neighbour only: the column margin still fixes it.
    found = intervals(system, {index[("r0", "c0")], index[("r0", "c1")]})
    assert found[index[("r0", "c0")]] == (2, 2)


def test_a_wider_protection_asks_for_more():
    table = grid([[2, 10, 30], [7, 9, 40], [20, 25, 50]])
    narrow = protect([table], protection=2)
    wide = protect([table], protection=12)
    assert all(row.upper is None or row.upper - row.lower >= 12 for row in wide.audit())
    assert sum(pt.suppressed for pt in wide.tables) >= sum(pt.suppressed for pt in narrow.tables)


def test_rounding_suppresses_up_to_seven_and_rounds_the_rest_to_fives():
    assert [round_count(v) for v in (0, 8, 12, 13, 15, 17, 18, 102)] == [0, 10, 10, 15, 15, 15, 20, 100]
    table = grid([[7, 12, 30], [8, 9, 41], [20, 26, 52]])
    protection = protect([table], method="rounding")
    pt = protection.tables[0]
    assert pt.status[("r0", "c0")] is CellStatus.PRIMARY
    assert pt.display(("r0", "c0")) == "<8"
    assert pt.display(("r2", "c2")) == "50"
    assert pt.display(("r1", "c2")) in ("40", "x")
    assert all(row.ok for row in protection.audit())
    printed = [int(pt.display(key)) for key in pt.table.keys() if pt.status[key] is CellStatus.PUBLISHED]  # noqa: SIM118 (Table.keys, not a dict)
    assert all(v % 5 == 0 for v in printed)
    # The rounded table need not add up: 20 + 25 + 50 = 95 printed against a rounded total of 100.
    assert pt.display(("r2", T)) == "100"


def test_sensitivity_counts_every_cell_one_person_is_in():
    additive = grid([[1, 2], [3, 4]])
    assert sensitivity(additive) == 4  # the inner cell, its two margins, the grand total
    forms = Table(
        "victims_detected",
        "persons",
        "2025",
        ("form",),
        (("sexual", "labour", "other"),),
        (False,),
        {(k,): Count.events(5) for k in ("sexual", "labour", "other", T)},
    )
    assert sensitivity(forms) == 4  # possibly every form and the margin
    assert sensitivity(Table("tips", "events", "2025", (), (), (), {(): Count.events(3)})) == 1


def test_laplace_noise_is_centred_on_the_true_count():
    draws = laplace_counts([40] * 4000, scale=2.0)
    assert all(isinstance(v, int) for v in draws)
    assert abs(statistics.fmean(draws) - 40) < 0.3  # standard error ~0.045
    # Laplace(scale 2) has variance 2 * 2^2 = 8; discrete Laplace slightly less.
    assert 5 < statistics.pvariance(draws) < 10
    assert len(set(draws)) > 10  # noise, not a constant


def test_add_noise_keeps_the_shape_and_clips_at_zero():
    table = grid([[0, 2], [3, 40]])
    noisy = add_noise(table, epsilon=0.5)
    assert noisy.sensitivity == 4
    assert noisy.scale == pytest.approx(8.0)
    assert set(noisy.table.cells) == set(table.cells)
    assert all(c.value >= 0 for c in noisy.table.cells.values())
    with pytest.raises(ValueError, match="positive"):
        add_noise(table, epsilon=0)
