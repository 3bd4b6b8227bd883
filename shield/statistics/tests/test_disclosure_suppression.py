"""Primary and secondary suppression: margins, linked tables, earlier releases, edge cases."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shield.statistics.disclosure import CellStatus, DisclosureError, PublishedTable, Shape, protect
from shield.statistics.disclosure.audit import intervals
from shield.statistics.disclosure.relations import build
from shield.statistics.tables import TOTAL, Count, Table
from shield.statistics.tests.disclosure_tables import additive_table, brute_interval, grid

T = TOTAL


def _suppressed(protection, t=0):
    return {k for k, s in protection.tables[t].status.items() if s is not CellStatus.PUBLISHED}


def test_primary_alone_leaks_through_the_margin_and_secondary_suppression_closes_it():
    table = grid([[2, 10, 8], [7, 30, 9], [12, 6, 11]])
    system = build([table], [])
    small = system.table_index[0][("r0", "c0")]
    # Withholding only the small cell: the row total minus the printed cells gives it exactly.
    assert intervals(system, {small})[small] == (2, 2)

    protection = protect([table])
    pt = protection.tables[0]
    assert pt.status[("r0", "c0")] is CellStatus.PRIMARY
    assert pt.display(("r0", "c0")) == "<5"
    assert len(_suppressed(protection)) >= 4  # a cell alone in its row and column never suffices
    assert all(row.ok and (row.upper is None or row.upper - row.lower >= 5) for row in protection.audit())
    assert {row.key for row in protection.audit()} == _suppressed(protection)


def test_secondary_cells_show_their_own_mark_and_margins_stay_printed_when_cheaper():
    table = grid([[2, 10], [7, 9]])
    pt = protect([table]).tables[0]
    assert _suppressed(protect([table])) == {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    assert pt.display(("r0", "c1")) == "x"
    assert pt.display((T, T)) == "28"


def test_a_cell_recoverable_only_across_two_tables_is_protected_when_they_are_protected_together():
    # A: sex x age; B: sex x citizenship. They share the sex margins and the grand total.
    a = additive_table(
        {("F", "child"): 1, ("F", "adult"): 2, ("M", "child"): 20, ("M", "adult"): 8},
        [["F", "M"], ["child", "adult"]],
    )
    b = additive_table(
        {("F", "VN"): 2, ("F", "LA"): 1, ("F", "KH"): 0, ("M", "VN"): 23, ("M", "LA"): 0, ("M", "KH"): 5},
        [["F", "M"], ["VN", "LA", "KH"]],
        dimensions=("sex", "citizenship"),
    )
    alone_a, alone_b = protect([a]), protect([b])
    # Each alone passes its own audit, yet together they narrow A's small cell below the width.
    assert alone_a.ok
    assert alone_b.ok
    printed = {(0, k): s is CellStatus.PUBLISHED for k, s in alone_a.tables[0].status.items()}
    printed |= {(1, k): s is CellStatus.PUBLISHED for k, s in alone_b.tables[0].status.items()}
    low, high = brute_interval([a, b], printed, (0, ("F", "child")))
    assert high is not None
    assert high - low < 5

    together = protect([a, b])
    printed = {
        (t, k): s is CellStatus.PUBLISHED for t in (0, 1) for k, s in together.tables[t].status.items()
    }
    for t in (0, 1):
        for key, status in together.tables[t].status.items():
            if status is not CellStatus.PUBLISHED:
                low, high = brute_interval([a, b], printed, (t, key))
                assert high is None or high - low >= 5 - 1e-6
    # The shared sex margin has one status in both tables.
    assert together.tables[0].status[("F", T)] == together.tables[1].status[("F", T)]


def test_an_earlier_release_that_printed_a_margin_forces_more_suppression():
    table = grid([[2, 10], [7, 9]])
    # The plain protection withholds the four inner cells and prints the margins.
    assert (T, T) not in _suppressed(protect([table]))
    # An earlier release for the period printed the cell r0/c1 (and suppressed the rest).
    earlier = PublishedTable(
        Shape(
            "victims_detected", "persons", "2025", ("sex", "age"), (("r0", "r1"), ("c0", "c1")), (True, True)
        ),
        {("r0", "c1"): 10},
    )
    system = build([table], [earlier])
    small = system.table_index[0][("r0", "c0")]
    rectangle = {system.table_index[0][k] for k in [("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")]}
    assert intervals(system, rectangle)[small] == (2, 2)  # the old pattern now leaks

    protection = protect([table], published=[earlier])
    assert protection.tables[0].status[("r0", "c1")] is CellStatus.PUBLISHED  # already public
    assert all(row.ok for row in protection.audit())
    assert protection.tables[0].status[("r0", "c0")] is CellStatus.PRIMARY


def test_an_earlier_release_that_printed_the_small_cell_is_refused():
    table = grid([[2, 10], [7, 9]])
    earlier = PublishedTable(Shape.of(table), {("r0", "c0"): 2})
    with pytest.raises(DisclosureError, match="earlier release"):
        protect([table], published=[earlier])


def test_a_corrected_earlier_figure_is_not_taken_as_todays_count():
    table = grid([[2, 10], [7, 9]])
    earlier = PublishedTable(Shape.of(table), {("r0", "c1"): 11, (T, T): 28})
    protection = protect([table], published=[earlier])
    assert protection.ok


def test_a_non_additive_dimension_gives_no_equation():
    def forms(values: dict[str, int], additive: bool) -> Table:
        cells: dict[tuple[str, ...], Count] = {(k,): Count.events(v) for k, v in values.items()}
        return Table(
            "victims_detected", "persons", "2025", ("form",), (("sexual", "labour"),), (additive,), cells
        )

    # One person in both forms: the margin (41) is not the sum (43).
    non_additive = protect([forms({"sexual": 3, "labour": 40, T: 41}, False)])
    assert _suppressed(non_additive) == {("sexual",)}
    assert non_additive.tables[0].intervals[("sexual",)] == (0, 41)  # a form is part of its margin

    additive = protect([forms({"sexual": 3, "labour": 40, T: 43}, True)])
    assert len(_suppressed(additive)) == 2


def test_an_all_zero_table_is_printed_whole():
    protection = protect([grid([[0, 0], [0, 0]])])
    assert _suppressed(protection) == set()
    assert protection.tables[0].display((T, T)) == "0"
    assert protection.audit() == []


def test_a_single_cell_table():
    def single(n: int) -> Table:
        return Table("tips", "events", "2025", (), (), (), {(): Count.events(n)})

    small = protect([single(3)])
    assert small.tables[0].display(()) == "<5"
    assert small.tables[0].intervals[()] == (0, None)  # nothing bounds it
    assert protect([single(7)]).tables[0].display(()) == "7"
    assert protect([single(0)]).tables[0].display(()) == "0"


def test_linked_cells_that_disagree_are_refused():
    a = grid([[2, 10], [7, 9]])
    b = grid([[2, 10], [7, 10]])
    with pytest.raises(DisclosureError, match="another table"):
        protect([a, b])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 4).flatmap(
        lambda r: st.integers(2, 4).flatmap(
            lambda c: st.lists(st.lists(st.integers(0, 14), min_size=c, max_size=c), min_size=r, max_size=r)
        )
    ),
    st.sampled_from(["optimal", "heuristic"]),
    st.booleans(),
)
def test_after_protect_every_suppressed_cell_is_at_least_the_protection_wide(rows, method, linked):
    table = grid(rows)
    tables = [table]
    if linked:  # a sex-only table of the same indicator: its cells are the first table's row margins
        cells = {(r,): table.cells[(r, T)] for r in (*table.categories[0], T)}
        tables.append(
            Table("victims_detected", "persons", "2025", ("sex",), (table.categories[0],), (True,), cells)
        )
    protection = protect(tables, method=method)
    printed = {
        (t, k): s is CellStatus.PUBLISHED
        for t, pt in enumerate(protection.tables)
        for k, s in pt.status.items()
    }
    for t, pt in enumerate(protection.tables):
        for key, status in pt.status.items():
            value = pt.table.cells[key].value
            if 0 < value < 5:
                assert status is CellStatus.PRIMARY
            if status is CellStatus.PUBLISHED:
                continue
            low, high = brute_interval(tables, printed, (t, key))
            assert high is None or high - low >= 5 - 1e-6, (key, low, high)
            assert low - 1e-6 <= value
            assert high is None or value <= high + 1e-6


def test_a_later_release_is_protected_against_what_the_earlier_one_printed():
    # Release 1 printed victims by sex; release 2, for the same period, adds sex x citizenship.
    by_sex_and_citizenship = additive_table(
        {("F", "VN"): 2, ("F", "LA"): 1, ("F", "KH"): 0, ("M", "VN"): 23, ("M", "LA"): 0, ("M", "KH"): 5},
        [["F", "M"], ["VN", "LA", "KH"]],
        dimensions=("sex", "citizenship"),
    )
    by_sex = additive_table({("F",): 3, ("M",): 28}, [["F", "M"]], dimensions=("sex",))
    first = protect([by_sex])
    second = protect([by_sex_and_citizenship], published=[first.tables[0].as_published()])
    printed = {(0, k): s is CellStatus.PUBLISHED for k, s in first.tables[0].status.items()}
    printed |= {(1, k): s is CellStatus.PUBLISHED for k, s in second.tables[0].status.items()}
    for t, protection in ((0, first), (1, second)):
        for key, status in protection.tables[0].status.items():
            if status is not CellStatus.PUBLISHED:  # release 1's cells stay protected too
                low, high = brute_interval([by_sex, by_sex_and_citizenship], printed, (t, key))
                assert high is None or high - low >= 5 - 1e-6, (t, key)
    # The sex margin release 1 withheld stays withheld: printing it now would undo release 1.
    assert first.tables[0].status[("F",)] is CellStatus.PRIMARY
    assert second.tables[0].status[("F", T)] is CellStatus.PRIMARY
