"""How well the engine's match probabilities are calibrated, and what each threshold would give, on
a file with known truth.

    .venv/bin/python bench/linkage_reliability.py INPUT.csv --truth TRUTH.csv --output OUT.json

The engine's trained model scores every blocked pair (as `dedupe` trains it; the pairs `dedupe`
itself keeps are those at or above the review threshold). Printed into OUT.json:

- `reliability`: 10 equal-width bins of the predicted probability (count, mean predicted, share
  that are true matches) and the expected calibration error, over two sets of pairs: every blocked
  pair (`all_blocked`; flattered by the mass of plain non-matches near 0) and the pairs a person or
  the engine acts on, at or above the review threshold (`review_band_and_links`);
- `by_threshold`: for auto-link thresholds from 0.5 to 0.9999, the pairwise precision, recall and
  F1 of the engine's clustering (`clustering.cluster`), and the review load: pairs at or above the
  review threshold left in different clusters, per 1,000 records (what `dedupe` returns as
  `review_pairs`); `by_threshold_any_evidence` the same without the rule that a link needs a
  shared full date or number (`LinkageSettings.auto_link_needs_identifier`, before issue 13).

Run by `bench/linkage.py` for each file; prints nothing, writes JSON.
"""

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999)


def scored_pairs(input_path: str) -> tuple[Any, Any, Any, Any, Any, list[str]]:
    """Every blocked pair of the file scored as `dedupe` scores: left, right, probability; the
    records' features, the model's hard conflicts and the record ids."""
    from shield.linkage.engine.clustering import hard_conflicts
    from shield.linkage.engine.contract import read_records
    from shield.linkage.engine.dedupe import (
        LinkageSettings,
        duckdb_api,
        feature_rows,
        features_frame,
        scoring_linker,
    )
    from shield.linkage.engine.model import vietnamese_model

    records = read_records(input_path)
    settings = LinkageSettings()
    rows = feature_rows(records)
    api = duckdb_api(settings)
    linker, model, _choice = scoring_linker(
        api, vietnamese_model(), features_frame(rows), rows, settings=settings
    )
    pairs = (
        linker.inference.predict(warning_mode="never")
        .query_sql("SELECT unique_id_l, unique_id_r, match_probability FROM {this}")
        .as_pandas_dataframe()
    )
    return (
        pairs["unique_id_l"].to_numpy(dtype=int),
        pairs["unique_id_r"].to_numpy(dtype=int),
        pairs["match_probability"].to_numpy(dtype=float),
        rows,
        hard_conflicts(model),
        [record.record_id for record in records],
    )


def reliability(probability: Any, labels: Any) -> dict[str, Any]:
    from shield.linkage.engine.evaluation import ece, reliability_table

    table = reliability_table(probability.tolist(), labels.tolist())
    return {"pairs": len(labels), "ece": round(ece(table), 4), "table": [row.as_dict() for row in table]}


def report(input_path: str, truth: dict[str, str]) -> dict[str, Any]:
    import numpy as np

    from shield.linkage.engine.clustering import cluster
    from shield.linkage.engine.dedupe import LinkageSettings
    from shield.linkage.engine.evaluation import pairwise_scores

    left, right, probability, rows, hard, record_ids = scored_pairs(input_path)
    person = np.array([truth[record_id] for record_id in record_ids])
    labels = person[left] == person[right]
    settings = LinkageSettings()
    review_threshold = settings.review_threshold
    band = probability >= review_threshold
    out: dict[str, Any] = {
        "records": len(record_ids),
        "reliability": {
            "all_blocked": reliability(probability, labels),
            "review_band_and_links": reliability(probability[band], labels[band]),
        },
        "by_threshold": [],
        "by_threshold_any_evidence": [],
    }
    for key, needs_identifier, threshold in [
        (key, needs, threshold)
        for key, needs in (
            ("by_threshold", settings.auto_link_needs_identifier),
            ("by_threshold_any_evidence", False),
        )
        for threshold in THRESHOLDS
    ]:
        keep = probability >= threshold
        roots = np.array(
            cluster(
                len(record_ids),
                zip(probability[keep], left[keep], right[keep], strict=True),
                rows,
                hard,
                require_identifying=needs_identifier,
            )
        )
        clusters = {record_id: int(roots[i]) for i, record_id in enumerate(record_ids)}
        review = int((band & (roots[left] != roots[right])).sum())
        direct_false = int((keep & ~labels & (roots[left] == roots[right])).sum())
        out[key].append(
            {
                "threshold": threshold,
                **pairwise_scores(clusters, truth).as_dict(),
                "review_pairs": review,
                "review_per_1000": round(1000 * review / len(record_ids), 1),
                "false_links_direct": direct_false,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--truth", required=True, help="CSV of record_id,person")
    parser.add_argument("--output", required=True)
    arguments = parser.parse_args()
    with open(arguments.truth, encoding="utf-8", newline="") as handle:
        truth = {row["record_id"]: row["person"] for row in csv.DictReader(handle)}
    Path(arguments.output).write_text(json.dumps(report(arguments.input, truth), indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
