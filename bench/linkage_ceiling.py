"""How far the engine is from the best its own comparisons allow on a file with known truth.

    .venv/bin/python bench/linkage_ceiling.py INPUT.csv --truth TRUTH.csv --output OUT.json

The engine's trained model scores every blocked pair; a gradient-boosted classifier is then
trained on the truth over the same comparison vectors (each pair's level and Bayes factor per
field, term-frequency adjustments included, and the total weight), two-fold cross-fitted so that no
pair is scored by a classifier that saw its label. Both are clustered the engine's way
(`clustering.cluster`, contradictions refused, and a link made without a person only on identifying
evidence, as `LinkageSettings.auto_link_needs_identifier` asks) at several thresholds and scored
pairwise. `best_f1` is the best F1 over the thresholds; `best_f1_at_precision` the best among the
thresholds whose precision reaches `PRECISION_FLOOR` (0.99, the product's promise for links made
without a person), or null when none does.

The classifier knows what EM has to guess, and it may combine fields in ways the Fellegi-Sunter
model, which adds independent weights, cannot: its best F1 is an upper bound for any model on these
features and this blocking, not for every conceivable engine. `blocking_recall` is the share of
true pairs that reach scoring at all. Run by `bench/linkage.py --ceiling`; prints nothing, writes
JSON.
"""

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
PRECISION_FLOOR = 0.99


def best_f1(by_threshold: list[dict[str, Any]], floor: float = 0.0) -> float | None:
    """The best F1 among the thresholds whose precision reaches `floor` (None if none does)."""
    eligible = [s["f1"] for s in by_threshold if s["precision"] >= floor]
    return max(eligible) if eligible else None


def ceiling(input_path: str, truth: dict[str, str]) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier

    from shield.linkage.engine.clustering import cluster, hard_conflicts
    from shield.linkage.engine.contract import read_records
    from shield.linkage.engine.dedupe import (
        LinkageSettings,
        duckdb_api,
        feature_rows,
        features_frame,
        scoring_linker,
    )
    from shield.linkage.engine.evaluation import pairwise_scores
    from shield.linkage.engine.model import vietnamese_model

    records = read_records(input_path)
    settings = LinkageSettings()
    rows = feature_rows(records)
    api = duckdb_api(settings)
    linker, model, _choice = scoring_linker(
        api, vietnamese_model(), features_frame(rows), rows, settings=settings
    )
    pairs = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    left = pairs["unique_id_l"].to_numpy(dtype=int)
    right = pairs["unique_id_r"].to_numpy(dtype=int)
    person = np.array([truth[record.record_id] for record in records])
    labels = (person[left] == person[right]).astype(int)
    columns = [c for c in pairs.columns if c.startswith(("gamma_", "bf_"))] + ["match_weight"]
    vectors = pairs[columns].apply(pd.to_numeric, errors="coerce").fillna(-1).to_numpy(dtype=float)
    fold = (left * 7919 + right) % 2
    supervised = np.zeros(len(labels))
    for k in (0, 1):
        classifier = HistGradientBoostingClassifier(max_iter=300, max_leaf_nodes=63, random_state=k)
        classifier.fit(vectors[fold != k], labels[fold != k])
        supervised[fold == k] = classifier.predict_proba(vectors[fold == k])[:, 1]

    record_ids = [record.record_id for record in records]
    hard = hard_conflicts(model)

    def scores_at(probability: Any, threshold: float) -> dict[str, Any]:
        keep = probability >= threshold
        roots = cluster(
            len(records),
            zip(probability[keep], left[keep], right[keep], strict=True),
            rows,
            hard,
            require_identifying=settings.auto_link_needs_identifier,
        )
        clusters = {record_id: roots[i] for i, record_id in enumerate(record_ids)}
        return {"threshold": threshold, **pairwise_scores(clusters, truth).as_dict()}

    true_pairs = sum(n * (n - 1) // 2 for n in pd.Series(person).value_counts())
    report: dict[str, Any] = {
        "scored_pairs": len(labels),
        "blocking_recall": round(labels.sum() / true_pairs, 4),
    }
    for name, probability in (
        ("engine", pairs["match_probability"].to_numpy(dtype=float)),
        ("supervised_ceiling", supervised),
    ):
        by_threshold = [scores_at(probability, t) for t in THRESHOLDS]
        report[name] = {
            "by_threshold": by_threshold,
            "best_f1": best_f1(by_threshold),
            "best_f1_at_precision": best_f1(by_threshold, PRECISION_FLOOR),
        }
    report["precision_floor"] = PRECISION_FLOOR
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--truth", required=True, help="CSV of record_id,person")
    parser.add_argument("--output", required=True)
    arguments = parser.parse_args()
    with open(arguments.truth, encoding="utf-8", newline="") as handle:
        truth = {row["record_id"]: row["person"] for row in csv.DictReader(handle)}
    report = ceiling(arguments.input, truth)
    Path(arguments.output).write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
