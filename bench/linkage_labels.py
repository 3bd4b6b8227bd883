"""How much the engine gains from reviewers' decisions: the label curve on a synthetic file.

    .venv/bin/python bench/linkage_labels.py --records 20000            # prints a table and JSON
    .venv/bin/python bench/linkage_labels.py --records 100000 --labels 0,100,300,1000

The engine's model is trained once on the synthetic file. A first run without labels gives the
review band (pairs in [review threshold, default match threshold) whose records did not end up in
one cluster); N pairs are drawn from it uniformly at random (seeded; each N's draw holds the smaller
N's) and answered from the truth, as reviewers would; the scores are refined with them
(`engine.refine`, exactly as `dedupe(..., labels=...)` does) and clustered the engine's way at
several match thresholds (contradictions refused, links made without a person only on identifying
evidence, labelled matches kept: as `dedupe` clusters). Reported per N and threshold: pairwise
precision, recall and F1, and the review load (pairs left in the band). Beside it, the best F1 of
`linkage_ceiling.py` (a classifier trained on the whole truth over the same comparison vectors,
clustered the same way), overall and at precision >= 0.99 (the product's promise), unless
`--no-ceiling`.
Also run by `bench/linkage.py --labels-curve`.
"""

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def label_curve(
    size: int,
    seed: int,
    counts: list[int],
    thresholds: list[float],
    ceiling: bool = True,
) -> dict[str, Any]:
    from shield.linkage.engine.clustering import cluster, hard_conflicts
    from shield.linkage.engine.dedupe import (
        LinkageSettings,
        duckdb_api,
        feature_rows,
        features_frame,
        scoring_linker,
    )
    from shield.linkage.engine.evaluation import pairwise_scores
    from shield.linkage.engine.model import vietnamese_model
    from shield.linkage.engine.refine import CANDIDATE_FLOOR, refine
    from shield.linkage.engine.synthetic import Generator, write_csv

    dataset = Generator(seed).dataset(size)
    records, truth = dataset.records, dataset.person_of
    record_ids = [record.record_id for record in records]
    person = [truth[record_id] for record_id in record_ids]
    settings = LinkageSettings()
    spec = vietnamese_model()
    rows = feature_rows(records)
    api = duckdb_api(settings)
    linker, model, _choice = scoring_linker(api, spec, features_frame(rows), rows, settings=settings)
    hard = hard_conflicts(model)
    # Scored once from the refinement's floor; every N refines this same table.
    base = linker.inference.predict(threshold_match_probability=CANDIDATE_FLOOR, warning_mode="never")
    unlabelled = base.query_sql(
        f"SELECT * FROM {{this}} WHERE match_probability >= {settings.review_threshold}"  # noqa: S608
    )

    def edges(table: Any) -> list[tuple[float, int, int]]:
        frame = table.query_sql(
            "SELECT match_probability, unique_id_l, unique_id_r FROM {this}"
        ).as_pandas_dataframe()
        return [
            (float(p), int(a), int(b))
            for p, a, b in zip(
                frame["match_probability"], frame["unique_id_l"], frame["unique_id_r"], strict=True
            )
        ]

    def at(
        scored: list[tuple[float, int, int]],
        threshold: float,
        cannot: frozenset[tuple[int, int]],
        same: Iterable[tuple[int, int]] = (),
    ) -> Any:
        # Clustered as dedupe() clusters: no link across a contradiction, a link made without a
        # person only on identifying evidence, a pair labelled "same" needing none.
        links = [edge for edge in scored if edge[0] >= threshold]
        roots = cluster(
            len(records),
            links,
            rows if spec.refuse_contradictions else None,
            hard,
            cannot,
            require_identifying=settings.auto_link_needs_identifier,
            must_link=same,
        )
        band = [
            (a, b)
            for p, a, b in scored
            if settings.review_threshold <= p < threshold and roots[a] != roots[b]
        ]
        return roots, band

    first = edges(unlabelled)
    _, band = at(first, settings.match_threshold, frozenset())
    draw = random.Random(seed).sample(band, min(max(counts), len(band)))

    report: dict[str, Any] = {
        "records": size,
        "default_match_threshold": settings.match_threshold,
        "first_run_review_band": len(band),
        "curve": [],
    }
    for count in counts:
        labels = {(min(a, b), max(a, b)): person[a] == person[b] for a, b in draw[:count]}
        if labels:
            refinement = refine(linker, base, model, labels, review_threshold=settings.review_threshold)
            scored, cannot = edges(refinement.predictions), refinement.cannot_link
            penalty = refinement.label_model.penalty
        else:
            scored, cannot, penalty = first, frozenset(), None
        same = [pair for pair, is_match in labels.items() if is_match]
        entry: dict[str, Any] = {
            "labels": len(labels),
            "matches": sum(labels.values()),
            "penalty": penalty,
            "by_threshold": [],
        }
        for threshold in thresholds:
            roots, left = at(scored, threshold, cannot, same)
            clusters = {record_id: roots[i] for i, record_id in enumerate(record_ids)}
            scores = pairwise_scores(clusters, truth).as_dict()
            entry["by_threshold"].append(
                {
                    "threshold": threshold,
                    "precision": scores["precision"],
                    "recall": scores["recall"],
                    "f1": scores["f1"],
                    "review_pairs": len(left),
                }
            )
        report["curve"].append(entry)
        print(f"labels {count}: {json.dumps(entry)}", file=sys.stderr)
    if ceiling:
        from linkage_ceiling import best_f1
        from linkage_ceiling import ceiling as supervised_ceiling

        with tempfile.TemporaryDirectory(prefix="linkage-labels-") as directory:
            path = str(Path(directory) / "input.csv")
            write_csv(records, path)
            result = supervised_ceiling(path, {k: str(v) for k, v in truth.items()})
        report["ceiling_best_f1"] = result["supervised_ceiling"]["best_f1"]
        report["engine_best_f1"] = result["engine"]["best_f1"]
        # The target compares like with like: both at precision >= the floor.
        report["precision_floor"] = result["precision_floor"]
        report["ceiling_best_f1_at_precision"] = result["supervised_ceiling"]["best_f1_at_precision"]
        report["engine_best_f1_at_precision"] = result["engine"]["best_f1_at_precision"]
        for entry in report["curve"]:
            entry["best_f1_at_precision"] = best_f1(entry["by_threshold"], result["precision_floor"])
    return report


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{report['records']} records; first run's review band {report['first_run_review_band']} pairs;"
        f" default match threshold {report['default_match_threshold']}"
    ]
    if "ceiling_best_f1" in report:
        ceiling, engine = report["ceiling_best_f1"], report["engine_best_f1"]
        lines.append(f"ceiling best F1 {ceiling} (engine's best {engine})")
        lines.append(
            f"at precision >= {report['precision_floor']}: ceiling best F1"
            f" {report['ceiling_best_f1_at_precision']}"
            f" (engine's best {report['engine_best_f1_at_precision']});"
            " with labels: "
            + ", ".join(f"{e['labels']}: {e.get('best_f1_at_precision')}" for e in report["curve"])
        )
    lines.append(f"{'labels':>6} {'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>7} {'review':>7}")
    for entry in report["curve"]:
        for row in entry["by_threshold"]:
            lines.append(
                f"{entry['labels']:>6} {row['threshold']:>9} {row['precision']:>9.4f} {row['recall']:>7.4f}"
                f" {row['f1']:>7.4f} {row['review_pairs']:>7}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--labels", default="0,100,300,1000", help="label counts (default %(default)s)")
    parser.add_argument(
        "--thresholds",
        default="",
        help="match thresholds (default: the engine's, 0.95, 0.98, 0.99, 0.995, 0.999)",
    )
    parser.add_argument("--no-ceiling", action="store_true")
    parser.add_argument("--output", help="also write the JSON here")
    arguments = parser.parse_args()
    from shield.linkage.engine.dedupe import LinkageSettings

    thresholds = sorted(
        {float(t) for t in arguments.thresholds.split(",") if t}
        or {LinkageSettings().match_threshold, 0.95, 0.98, 0.99, 0.995, 0.999}
    )
    counts = [int(n) for n in arguments.labels.split(",")]
    report = label_curve(arguments.records, arguments.seed, counts, thresholds, not arguments.no_ceiling)
    text = json.dumps(report, indent=2)
    if arguments.output:
        Path(arguments.output).write_text(text, encoding="utf-8")
    print(table(report))
    print(text)


if __name__ == "__main__":
    main()
