"""`python -m shield.linkage dedupe INPUT.csv --output OUTPUT.csv`: which records are one person.

`--review-pairs PAIRS.csv` also writes the pairs left for a person to decide, with each field's
evidence (`engine/review_pairs.py`).

`--labels LABELS.csv` (`record_id_l,record_id_r,is_match`): pairs people have decided, which the
scores learn from and which are pinned (`engine/labels.py`).

Exit status 0 on success; 2 for bad input or usage (the message names the line), with nothing
written. A progress bar goes to standard error for files large enough to need one, and one line
when the file did not train its own model (it was small, or had nothing to learn from: no
duplicates, say) but was scored with the shipped reference model, saying why; that is a success.
"""

import argparse
import sys
from collections.abc import Sequence

from shield.linkage.engine import InputError, LinkageSettings, dedupe, read_records, write_clusters
from shield.linkage.engine.labels import LabelledPair, read_labels

# Below this many records the run takes seconds and a progress bar would only be noise.
PROGRESS_MIN_RECORDS = 5_000

_STAGES = ("normalise", "train", "predict", "cluster", "review", "done")


class _Progress:
    """One bar over the stages of a run: normalising counts for half, the rest share the other half."""

    def __init__(self, total_records: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=1000, file=sys.stderr, desc="linkage", unit="‰", leave=True)

    def __call__(self, stage: str, fraction: float) -> None:
        if stage == "normalise":
            position = int(500 * fraction)
        else:
            index = _STAGES.index(stage) if stage in _STAGES else len(_STAGES) - 1
            position = 500 + int(500 * (index - 1 + fraction) / (len(_STAGES) - 1))
        self.bar.set_postfix_str(stage)
        self.bar.update(max(0, min(1000, position) - self.bar.n))

    def close(self) -> None:
        self.bar.close()


def _dedupe_command(arguments: argparse.Namespace) -> int:
    try:
        records = read_records(arguments.input)
    except InputError as error:
        print(f"{arguments.input}: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{arguments.input}: {error.strerror}", file=sys.stderr)
        return 2
    labels: list[LabelledPair] | None = None
    if arguments.labels:
        try:
            labels = read_labels(arguments.labels, {record.record_id for record in records})
        except InputError as error:
            print(f"{arguments.labels}: {error}", file=sys.stderr)
            return 2
        except OSError as error:
            print(f"{arguments.labels}: {error.strerror}", file=sys.stderr)
            return 2
    db_api = None
    if arguments.backend == "spark":
        from shield.linkage.engine.spark import SparkUnavailable, spark_api

        try:
            db_api = spark_api()
        except SparkUnavailable as error:
            print(f"--backend spark: {error}", file=sys.stderr)
            return 2
    progress = _Progress(len(records)) if len(records) >= PROGRESS_MIN_RECORDS else None
    try:
        result = dedupe(
            records,
            settings=LinkageSettings(match_threshold=arguments.match_threshold),
            db_api=db_api,
            progress=progress or (lambda stage, fraction: None),
            labels=labels,
        )
    finally:
        if progress is not None:
            progress.close()
    if arguments.review_pairs:
        # Before OUTPUT.csv: a target that cannot be written leaves both files as they were.
        from shield.linkage.engine.review_pairs import write_review_pairs

        try:
            write_review_pairs(arguments.review_pairs, result.review_pairs)
        except OSError as error:
            print(f"{arguments.review_pairs}: {error.strerror}", file=sys.stderr)
            return 2
    write_clusters(arguments.output, [record.record_id for record in records], result.clusters)
    if result.model_source == "reference":
        print(f"linkage: {result.model_note}: used the reference model", file=sys.stderr)
    clusters = len(set(result.clusters.values()))
    print(
        f"{len(records)} records, {clusters} people, {len(result.review_pairs)} pairs for review",
        file=sys.stderr,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shield.linkage", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dedupe_parser = commands.add_parser("dedupe", help="cluster the records of INPUT.csv into people")
    dedupe_parser.add_argument("input", metavar="INPUT.csv")
    dedupe_parser.add_argument("--output", metavar="OUTPUT.csv", required=True)
    dedupe_parser.add_argument(
        "--match-threshold",
        type=float,
        default=LinkageSettings.match_threshold,
        help="match probability at which two records are linked, when they also share a full birth "
        "date or an identity number; other pairs above it go to review (default %(default)s)",
    )
    dedupe_parser.add_argument(
        "--review-pairs",
        metavar="PAIRS.csv",
        help="also write the pairs for review (between the review and match thresholds, and links "
        "refused), with each field's level and weight, most probable first",
    )
    dedupe_parser.add_argument(
        "--labels",
        metavar="LABELS.csv",
        help="pairs people have decided (record_id_l,record_id_r,is_match), to learn from and keep",
    )
    dedupe_parser.add_argument(
        "--backend",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="Splink's database: DuckDB in this process, or a local Spark (the [spark] extra, Java 17)",
    )
    arguments = parser.parse_args(argv)
    return _dedupe_command(arguments)


if __name__ == "__main__":
    sys.exit(main())
