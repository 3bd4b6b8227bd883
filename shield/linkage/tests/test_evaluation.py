"""Reliability of match probabilities: the table of 10 bins and the expected calibration error."""

import pytest

from shield.linkage.engine.evaluation import ece, reliability_table


def test_reliability_table_bins_pairs_by_predicted_probability():
    predicted = [0.05, 0.05, 0.95, 0.95, 0.95, 0.95, 1.0, 0.5]
    matches = [False, True, True, True, True, False, True, False]
    table = reliability_table(predicted, matches)
    assert [(row.low, row.high, row.count) for row in table] == [(0.0, 0.1, 2), (0.5, 0.6, 1), (0.9, 1.0, 5)]
    first, middle, last = table
    assert first.mean_predicted == pytest.approx(0.05)
    assert first.observed == 0.5
    assert middle.observed == 0.0
    assert last.mean_predicted == pytest.approx(0.96)  # 1.0 falls into the last bin
    assert last.observed == pytest.approx(0.8)


def test_ece_weighs_each_bins_gap_by_its_share_of_pairs():
    table = reliability_table([0.05, 0.05, 0.95, 0.95, 0.95, 0.95, 1.0, 0.5], [0, 1, 1, 1, 1, 0, 1, 0])
    # (2/8)·|0.5-0.05| + (1/8)·|0-0.5| + (5/8)·|0.8-0.96|
    assert ece(table) == pytest.approx(2 / 8 * 0.45 + 1 / 8 * 0.5 + 5 / 8 * 0.16)


def test_a_calibrated_model_has_no_error_and_no_pairs_none():
    predicted = [0.25] * 4 + [0.75] * 4
    matches = [True, False, False, False, True, True, True, False]
    assert ece(reliability_table(predicted, matches)) == pytest.approx(0.0)
    assert ece(reliability_table([], [])) == 0.0
    assert reliability_table([], []) == []


def test_other_bin_counts():
    table = reliability_table([0.1, 0.6], [False, True], bins=2)
    assert [(row.low, row.high, row.count, row.observed) for row in table] == [
        (0.0, 0.5, 1, 0.0),
        (0.5, 1.0, 1, 1.0),
    ]
