"""λ and u estimated again after training, without counting matches as chance."""

import importlib
import math

import numpy as np
from splink import Linker

from shield.linkage.engine.calibration import calibrate, fixed_point_lambda
from shield.linkage.engine.clustering import ALL_CONFLICTS, conflict, hard_conflicts
from shield.linkage.engine.model import vietnamese_model
from shield.linkage.engine.synthetic import Generator

# `shield.linkage.engine.dedupe` the module, not the function the package exports by that name.
engine = importlib.import_module("shield.linkage.engine.dedupe")

SAME_ID = "same identity number, fits both records"


def test_lambda_is_the_expected_share_of_matching_pairs():
    # 300 pairs whose evidence leaves no doubt, 50,000 that are plainly different people.
    evidence = np.array([40.0] * 300 + [-40.0] * 50_000)
    total = 10_000_000.0
    estimate = fixed_point_lambda(evidence, total, start=1e-3)
    assert math.isclose(estimate, 300 / total, rel_tol=1e-3)


def test_lambda_counts_uncertain_pairs_by_their_probability():
    # Evidence that exactly offsets the prior: each pair counts for one half at the fixed point.
    total = 1_000_000.0
    estimate = fixed_point_lambda(np.array([math.log2(1e6)] * 1_000), total, start=1e-4)
    assert 1_000 * 0.4 / total < estimate < 1_000 / total


def _level(model, comparison, label):
    for candidate in model["comparisons"]:
        if candidate["output_column_name"] == comparison:
            return next(
                level for level in candidate["comparison_levels"] if level.get("label_for_charts") == label
            )
    raise LookupError(label)


def test_calibration_stops_counting_matches_as_chance_agreement():
    dataset = Generator(seed=11).dataset(4_000)
    truth = dataset.person_of
    people = {}
    for person in truth.values():
        people[person] = people.get(person, 0) + 1
    true_lambda = sum(c * (c - 1) / 2 for c in people.values()) / (4_000 * 3_999 / 2)

    settings = engine.LinkageSettings(threads=1)
    frame = engine.features_frame(engine.feature_rows(dataset.records))
    api = engine.duckdb_api(settings)
    spec = vietnamese_model()
    linker = Linker(api.register(frame, dataset_display_name="records"), spec.settings, log_level=None)
    engine.train(linker, spec, settings)
    trained = engine.floor_m_probabilities(linker.misc.save_model_to_json())
    calibrated = calibrate(
        engine._linker_factory(api), frame, trained, max_records=100_000, pairs=1_000_000, seed=1
    )

    # Random pairs sharing a valid identity number are almost all the same person: counted as
    # chance they made the number's evidence many times weaker than it is.
    before = _level(trained, "id_number", SAME_ID)["u_probability"]
    after = _level(calibrated, "id_number", SAME_ID)["u_probability"]
    assert after < before / 10
    # λ close to the truth (Splink's estimate from deterministic rules assumes their recall).
    assert abs(calibrated["probability_two_random_records_match"] - true_lambda) < 0.25 * true_lambda
    # Every comparison is still there, the m probabilities untouched.
    assert [c["output_column_name"] for c in calibrated["comparisons"]] == [
        c["output_column_name"] for c in trained["comparisons"]
    ]
    assert (
        _level(calibrated, "id_number", SAME_ID)["m_probability"]
        == _level(trained, "id_number", SAME_ID)["m_probability"]
    )


def _model_with_differs(bits_by_comparison):
    """A minimal model whose comparisons' last level weighs `bits` (m/u = 2**bits)."""
    comparisons = []
    for name, bits in bits_by_comparison.items():
        u = 0.5
        comparisons.append(
            {
                "output_column_name": name,
                "comparison_levels": [
                    {"is_null_level": True},
                    {"m_probability": 0.9, "u_probability": 0.1},
                    {"m_probability": u * 2**bits, "u_probability": u},
                ],
            }
        )
    return {"comparisons": comparisons}


def test_only_fields_true_matches_rarely_disagree_on_are_contradictions():
    # Vietnamese records: sex, dates and numbers seldom differ within one person.
    assert hard_conflicts(_model_with_differs({"sex": -6, "birth": -7, "id_number": -6})) == ALL_CONFLICTS
    # A source that corrupts dates and numbers wholesale (FEBRL): a difference is weak evidence.
    assert hard_conflicts(_model_with_differs({"sex": -6, "birth": -3.8, "id_number": -3.9})) == {"sex"}
    # A field the file never has on both sides keeps the strict default.
    assert hard_conflicts(_model_with_differs({"birth": -3.8})) == {"sex", "id"}


def test_a_date_difference_contradicts_only_where_dates_are_hard():
    row = {
        "sex": "F",
        "birth_year": 1990,
        "birth_month": 2,
        "birth_day": 3,
        "birth_precision": "day",
        "id_number": None,
        "id_kind": None,
        "id_status": None,
    }
    other = {**row, "birth_month": 11, "birth_day": 21}
    assert conflict(row, other)
    assert not conflict(row, other, frozenset({"sex", "id"}))
    assert conflict(row, {**other, "sex": "M"}, frozenset({"sex", "id"}))
