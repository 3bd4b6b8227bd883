"""After training: the share of matching pairs (λ) and the chance agreements (u) estimated again,
so that the matches among the pairs looked at are not counted as chance.

Splink estimates u from random record pairs and counts every agreement among them as chance, and
λ from deterministic rules with an assumed recall. Both go wrong when people have several records
each: in a file of 10,000 records where everyone appears twice, one random pair in 10,000 is a
match, and most random pairs that share an identity number or a birth date are such matches. The
u of "same identity number" then comes out near 1e-4 instead of 1e-7, about ten bits too weak,
and true pairs with one field corrupted fall short of the threshold (FEBRL4, FEBRL3). The fixes
are the expectation-maximisation updates that Splink's blocked EM sessions leave out:

- λ: the expected number of matching pairs among the candidate pairs (each pair counted by its
  match probability) over all pairs, iterated to its fixed point (the evidence stays, λ moves).
  Blocking keeps almost every match, so the sum misses little.
- u: random pairs again, each counted by its probability of being a non-match under the trained
  model, so a true match in the sample counts for almost nothing.

Both are computed on a uniform sample of at most `max_records` records: neither λ nor u changes
when records are sampled uniformly (a random pair of sampled records is a random pair).

Memory: the pairs are counted in the database, never brought into Python, and the random pairs are
scored in parts of at most `U_PAIRS_PER_QUERY` (each part's table dropped once counted), so the
peak does not grow with the number of pairs sampled; the λ predictions keep only their weights.
"""

import copy
import math
from typing import Any

import numpy as np
import pandas as pd

from shield.linkage.engine.model import levels_by_gamma

# Evidence (bits) below which a candidate pair counts as no match at all when summing λ: such
# pairs have a match probability under λ/2^20, millions of them add up to nothing that matters.
LAMBDA_MIN_EVIDENCE = -20.0
LAMBDA_ITERATIONS = 50
# Random pairs scored by one query when estimating u. Splink keeps both records' matching columns
# beside each pair (needed for the comparison levels), about 600 bytes a pair on DuckDB: the parts
# bound that table to about 120 MB whatever the number of pairs sampled.
U_PAIRS_PER_QUERY = 200_000


def _logit2(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def _blocked_on(model: dict[str, Any], rule: str) -> dict[str, Any]:
    candidate = copy.deepcopy(model)
    candidate["blocking_rules_to_generate_predictions"] = [{"blocking_rule": rule, "sql_dialect": "duckdb"}]
    # Only the weights and the comparison levels are read, not the evidence's parts.
    candidate["retain_intermediate_calculation_columns"] = False
    return candidate


def _weights_only(model: dict[str, Any]) -> dict[str, Any]:
    """`model` scoring pairs without the records' columns beside them (λ reads only weights)."""
    candidate = copy.deepcopy(model)
    candidate["retain_matching_columns"] = False
    candidate["retain_intermediate_calculation_columns"] = False
    return candidate


def fixed_point_lambda(evidence: np.ndarray, total_pairs: float, start: float) -> float:
    """λ such that the candidate pairs' match probabilities (from `evidence`, each pair's match
    weight without the prior, in bits) add up to λ · `total_pairs`."""
    probability = start
    for _ in range(LAMBDA_ITERATIONS):
        weights = evidence + _logit2(probability)
        expected = float((1.0 / (1.0 + np.exp2(-weights))).sum())
        updated = min(max(expected / total_pairs, 1.0 / total_pairs), 0.5)
        if abs(updated - probability) <= probability * 1e-4:
            return updated
        probability = updated
    return probability


def estimate_lambda(linker: Any, record_count: int, model: dict[str, Any]) -> float:
    """λ over `linker`'s records (scored with `model`, which the linker was built with)."""
    start = float(model["probability_two_random_records_match"])
    threshold = LAMBDA_MIN_EVIDENCE + _logit2(start)
    predictions = linker.inference.predict(threshold_match_weight=threshold, warning_mode="never")
    weights = predictions.query_sql("SELECT match_weight FROM {this}").as_pandas_dataframe()
    predictions.drop_table_from_database_and_remove_from_cache()
    evidence = weights["match_weight"].astype(float).to_numpy() - _logit2(start)
    return fixed_point_lambda(evidence, record_count * (record_count - 1) / 2, start)


def estimate_u(
    linker_for: Any,
    frame: pd.DataFrame,
    model: dict[str, Any],
    pairs: int,
    seed: int,
    pairs_per_query: int = U_PAIRS_PER_QUERY,
) -> dict[str, Any]:
    """The model with each trained level's u counted over about `pairs` random pairs of `frame`,
    every pair weighted by its probability of not being a match. `linker_for(frame, model)` makes
    a Splink linker over a frame.

    The records fall into random buckets sized so that the pairs within buckets number about
    `pairs`; each record also draws one of `parts` so that a pair is scored in the part of its
    first record: every pair within a bucket is scored exactly once, at most about
    `pairs_per_query` at a time, and each part is counted by agreement pattern in the database."""
    count = len(frame)
    buckets = max(1, round(count * (count - 1) / 2 / pairs))
    parts = max(1, math.ceil(count * (count - 1) / 2 / buckets / pairs_per_query))
    rng = np.random.default_rng(seed)
    sampled = frame.assign(
        random_bucket=rng.integers(0, buckets, size=count).astype(str),
        random_part=rng.integers(0, parts, size=count).astype(str),
    )
    names = [comparison["output_column_name"] for comparison in model["comparisons"]]
    gammas = ", ".join(f"gamma_{name}" for name in names)
    counted = []
    for part in range(parts):
        rule = f"l.random_bucket = r.random_bucket AND l.random_part = '{part}'"
        predictions = linker_for(sampled, _blocked_on(model, rule)).inference.predict(warning_mode="never")
        counted.append(
            predictions.query_sql(
                # Only our own column names are formatted into this SQL.
                f"SELECT {gammas}, SUM(1 - match_probability) AS non_match, COUNT(*) AS pairs "  # noqa: S608
                f"FROM {{this}} GROUP BY {gammas}"
            ).as_pandas_dataframe()
        )
        predictions.drop_table_from_database_and_remove_from_cache()
    patterns = pd.concat(counted, ignore_index=True)
    scored_pairs = int(patterns["pairs"].sum()) if len(patterns) else 0
    if scored_pairs == 0:
        return model
    non_match = patterns["non_match"].astype(float).to_numpy()
    floor = 0.5 / scored_pairs  # under half a pair of the sample: agreement never seen by chance
    updated = copy.deepcopy(model)
    for comparison in updated["comparisons"]:
        gamma = patterns[f"gamma_{comparison['output_column_name']}"].astype(int).to_numpy()
        known = float(non_match[gamma >= 0].sum())
        if known <= 0:
            continue
        for value, level in levels_by_gamma(comparison):
            if level.get("fix_u_probability"):
                continue
            at_level = gamma == value
            # A level no sampled pair reached (a feature this file does not have, say) keeps
            # Splink's estimate: the floor would make it strong evidence it has never shown.
            if at_level.any():
                level["u_probability"] = max(float(non_match[at_level].sum()) / known, floor)
    return updated


def calibrate(
    linker_for: Any,
    frame: pd.DataFrame,
    model: dict[str, Any],
    *,
    max_records: int,
    pairs: int,
    seed: int,
    pairs_per_query: int = U_PAIRS_PER_QUERY,
) -> dict[str, Any]:
    """`model` with λ and u estimated again (see the module's docstring) on a uniform sample of at
    most `max_records` rows of `frame`."""
    sample = frame.sample(n=max_records, random_state=seed) if len(frame) > max_records else frame
    model = copy.deepcopy(model)
    model["probability_two_random_records_match"] = estimate_lambda(
        linker_for(sample, _weights_only(model)), len(sample), model
    )
    model = estimate_u(linker_for, sample, model, pairs, seed, pairs_per_query)
    model["probability_two_random_records_match"] = estimate_lambda(
        linker_for(sample, _weights_only(model)), len(sample), model
    )
    return model
