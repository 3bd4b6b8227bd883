"""Deduplicating records: features, training, scoring, clustering, and the pairs left for people.

`dedupe(records)` is the whole engine in one call; the CLI and (later) the Django task call it.
Pairs at or above `match_threshold` are linked into clusters (connected components); pairs in
`[review_threshold, match_threshold)` whose records did not end up in one cluster are returned
as `review_pairs`, with the evidence of each field, for a person to confirm or reject.
"""

import copy
import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from shield.linkage.engine.calibration import U_PAIRS_PER_QUERY, calibrate
from shield.linkage.engine.clustering import CONFLICT_FIELDS, cluster, hard_conflicts
from shield.linkage.engine.frequencies import tf_tables, vietnamese_name_share
from shield.linkage.engine.labels import LabelledPair, label_indices
from shield.linkage.engine.model import ModelSpec, levels_by_gamma, vietnamese_model
from shield.linkage.engine.model_choice import (
    NO_MODEL,
    SMALL_FILE,
    TRAINED,
    ModelChoice,
    ModelSource,
    NothingToLearn,
    em_diverged,
    estimate_prior,
)
from shield.linkage.engine.normalise import FEATURE_COLUMNS, Record, features
from shield.linkage.engine.refine import candidate_threshold, refine

# Splink logs every step at INFO; the engine reports its own progress instead.
logging.getLogger("splink").setLevel(logging.WARNING)

ProgressCallback = Callable[[str, float], None]

# Below this many records there are too few pairs to train on at all and too few names to count
# frequencies from: the run uses the reference model instead (see `reference_model`).
MIN_TRAINING_RECORDS = 100
# A file of Vietnamese names trains its own model from this many records; a smaller one does
# better on the reference model, which was trained on Vietnamese records (docs/linkage.md, "Small
# files", has the measurements). A file of other names trains its own from `MIN_TRAINING_RECORDS`:
# the reference model knows nothing of its names (FEBRL3, 500 records: F1 0.86 on the reference,
# 0.99 on its own).
MIN_VIETNAMESE_TRAINING_RECORDS = 1_000
# A file is of Vietnamese names when at least this share of its family names are known ones.
VIETNAMESE_FILE_SHARE = 0.5
REFERENCE_MODEL = Path(__file__).resolve().parent / "reference_model.json"


@dataclass(frozen=True)
class LinkageSettings:
    # Pairs at or above this probability are the same person (high: a wrong merge hides a victim).
    match_threshold: float = 0.95
    # Pairs from here up to the match threshold go to human review instead of merging.
    review_threshold: float = 0.5
    # A pair is linked without a person only on a full birth date or an identity number the two
    # records share, and never across an outright contradiction (`clustering.auto_linkable`);
    # a pair above the threshold on name, year and province alone goes to review (issue 13:
    # links made without a person must be right 99 times in 100; namesakes are not rare).
    auto_link_needs_identifier: bool = True
    # Random pairs sampled to estimate how often fields agree by chance (the u probabilities).
    u_sample_pairs: int = 2_000_000
    # Records the EM training sees at most (a random sample beyond), to bound training time.
    max_training_records: int = 300_000
    # Records λ and u are estimated again on after training (`calibration`; a random sample
    # beyond: both are the same on a uniform sample).
    max_calibration_records: int = 100_000
    seed: int = 20250701
    # DuckDB only. threads None = all cores. DuckDB would take 80% of the machine's memory; a
    # limit makes it spill to disk instead, which keeps a million-record run well under 8 GB
    # (the Python side holds the records and their features beside it). None = DuckDB's default.
    threads: int | None = None
    memory_limit: str | None = "3GB"


@dataclass(frozen=True)
class FieldEvidence:
    """How one field compared in a pair: the level it reached and its weight in bits (log2 of the
    Bayes factor, term-frequency adjustment included; positive speaks for a match)."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True)
class ScoredPair:
    left: str  # record_id
    right: str
    match_probability: float
    match_weight: float
    evidence: tuple[FieldEvidence, ...]


@dataclass
class DedupeResult:
    # record_id → cluster_id; the cluster id is the record_id of the cluster's first record in
    # input order, so it reads as "same as record X".
    clusters: dict[str, str]
    # Uncertain pairs between different clusters, most probable first.
    review_pairs: list[ScoredPair]
    # How many scored pairs were linked (at or above the match threshold).
    linked_pair_count: int
    # The trained model (Splink's JSON settings), to keep with a run for audit or reuse.
    model: dict[str, Any] = field(default_factory=dict)
    # Which model scored the pairs: the file's own ("trained"), the shipped "reference" model (a
    # small file, or one with nothing to learn from), or "none" (fewer than two records).
    model_source: ModelSource = "trained"
    # Why it was not the file's own: a key of `model_choice.REASONS`, and its words.
    model_reason: str = ""
    model_note: str = ""

    def cluster_members(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {}
        for record_id, cluster_id in self.clusters.items():
            members.setdefault(cluster_id, []).append(record_id)
        return members


def _noop(stage: str, fraction: float) -> None:
    return None


def feature_rows(records: Sequence[Record], progress: ProgressCallback = _noop) -> list[dict[str, Any]]:
    rows = []
    step = max(1, len(records) // 100)
    for index, record in enumerate(records):
        row = features(record)
        row["unique_id"] = index
        rows.append(row)
        if index % step == 0:
            progress("normalise", index / max(1, len(records)))
    progress("normalise", 1.0)
    return rows


def features_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=["unique_id", *FEATURE_COLUMNS])
    # Explicit types: a column with gaps must stay integer (pandas would make it float), and one
    # that is empty throughout must still be text (DuckDB would otherwise type it NULL).
    for column in FEATURE_COLUMNS:
        integer = column in ("birth_year", "birth_month", "birth_day")
        frame[column] = frame[column].astype("Int64" if integer else "string")
    return frame


def conflict_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the features the clustering's contradiction check reads, to hold less in memory."""
    return [{key: row[key] for key in CONFLICT_FIELDS} for row in rows]


def duckdb_api(settings: LinkageSettings) -> Any:
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect()
    if settings.threads:
        connection.execute(f"SET threads = {int(settings.threads)}")
    if settings.memory_limit:
        connection.execute("SET memory_limit = ?", [settings.memory_limit])
    # DuckDB would spill into the working directory (".tmp"); the system's temporary directory
    # keeps repositories and users' folders clean.
    connection.execute(
        "SET temp_directory = ?", [os.path.join(tempfile.gettempdir(), "shield-linkage-duckdb")]
    )
    return DuckDBAPI(connection=connection)


def on_spark(api: Any) -> bool:
    """Whether `api` is Spark's: each query there costs seconds of scheduling whatever its size,
    so the steps DuckDB runs in parts to bound memory run in one query (Spark spills instead)."""
    return getattr(getattr(api, "sql_dialect", None), "sql_dialect_str", "") == "spark"


def train(linker: Any, spec: ModelSpec, settings: LinkageSettings) -> None:
    """Train `linker`'s model on its records; `NothingToLearn` when they hold no evidence of
    matches (see `model_choice`)."""
    estimate_prior(linker, spec.deterministic_rules, spec.deterministic_recall)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=settings.u_sample_pairs,
        seed=settings.seed,
        num_chunks=1 if on_spark(linker._db_api) else 10,
    )
    comparisons = {comparison.output_column_name for comparison in linker._settings_obj.comparisons}
    trained: set[str] = set()
    for rule in spec.em_blocking_rules:
        trained |= _em_session(linker, rule)
    for rule in spec.em_fallback_rules:
        if trained >= comparisons:
            break
        trained |= _em_session(linker, rule)
    if not trained:
        raise NothingToLearn("no_em_pairs")


def _em_session(linker: Any, rule: Any) -> set[str]:
    """One EM session; the comparisons it trained (none when its rule gave no pairs, or when EM
    diverged on them: `model_choice.em_diverged`)."""
    from splink.internals.exceptions import EMTrainingException

    # Splink takes the comparisons a session blocks on out of the linker's own settings and puts
    # them back only when the session succeeds: a session without pairs would leave the model
    # without them (a year-only file lost its names, dates and provinces).
    settings = linker._settings_obj
    before = settings.core_model_settings.copy()
    try:
        session = linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    except EMTrainingException:
        settings.core_model_settings = before
        return set()
    except ValueError as error:
        if not em_diverged(error):
            raise
        settings.core_model_settings = before
        return set()
    return {comparison.output_column_name for comparison in session.core_model_settings.comparisons}


# EM drives the m probability of a level it rarely sees among matches to zero, which would make
# that level veto a match outright (a single mistyped middle name). No level is that certain.
MIN_M_PROBABILITY = 0.001


def floor_m_probabilities(model: dict[str, Any]) -> dict[str, Any]:
    """The model with every trained level's m probability at least `MIN_M_PROBABILITY`."""
    for comparison in model["comparisons"]:
        levels = [level for _, level in levels_by_gamma(comparison)]
        floored = [max(level.get("m_probability") or 0.0, MIN_M_PROBABILITY) for level in levels]
        total = sum(floored)
        for level, m in zip(levels, floored, strict=True):
            if not level.get("fix_m_probability"):
                level["m_probability"] = m / total
    return model


def trains_own_model(rows: Sequence[dict[str, Any]]) -> bool:
    """Whether a file (its records' features) is large enough to train its own model on, rather
    than take the reference model."""
    if len(rows) < MIN_TRAINING_RECORDS:
        return False
    if len(rows) >= MIN_VIETNAMESE_TRAINING_RECORDS:
        return True
    return vietnamese_name_share(rows) < VIETNAMESE_FILE_SHARE


def reference_model(record_count: int) -> dict[str, Any]:
    """The model for inputs too small to train on: parameters trained once on synthetic records
    (`python -m shield.linkage.engine.reference` rewrites the file), and the prior set for a file
    in which people have about two records each (one matching pair per record), but never above
    1%: in a file of ten records that assumption would make one pair in nine a match before any
    evidence.

    Term frequencies come from `frequencies` (the file's counts blended with known shares, see
    `small_file_tf_tables`), and each term-frequency level is floored at its own average (its u
    probability): a small file may show that a value is common (Nguyễn, the agency's own
    province) and take weight away from it, but a value seen once in it is not thereby rare.
    The province is adjusted on both of its levels (the former province too: most of an
    agency's records name its own)."""
    model = json.loads(REFERENCE_MODEL.read_text(encoding="utf-8"))
    model = copy.deepcopy(model)
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("sql_condition") == "province_former_l = province_former_r":
                level["tf_adjustment_column"] = "province_former"
                level["tf_adjustment_weight"] = 1.0
            if level.get("tf_adjustment_column"):
                level["tf_minimum_u_value"] = level["u_probability"]
    model["probability_two_random_records_match"] = min(0.01, 1 / max(1, record_count - 1))
    return model


def tf_averages(model: dict[str, Any]) -> dict[str, float]:
    """Each term-frequency column → the u probability of its exact level (the average frequency)."""
    averages: dict[str, float] = {}
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            column = level.get("tf_adjustment_column")
            if column and level.get("u_probability"):
                averages.setdefault(column, float(level["u_probability"]))
    return averages


def register_small_file_tf_tables(
    linker: Any, api: Any, model: dict[str, Any], rows: Sequence[dict[str, Any]]
) -> None:
    """Register the blended term-frequency tables (`frequencies.tf_tables`) for a reference run."""
    for column, table in tf_tables(rows, tf_averages(model)).items():
        frame = pd.DataFrame(
            {column: pd.Series(list(table), dtype="string"), f"tf_{column}": list(table.values())}
        )
        registered = api.register(frame, dataset_display_name=f"tf_{column}")
        linker.table_management.register_term_frequency_lookup(registered, column)


def _level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """comparison name → gamma value → level label (null level -1, then n-1 down to 0)."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        by_gamma = {-1: "missing on one side"}
        for gamma, level in levels_by_gamma(comparison):
            by_gamma[gamma] = level.get("label_for_charts", "")
        labels[comparison["output_column_name"]] = by_gamma
    return labels


def _evidence(row: dict[str, Any], labels: dict[str, dict[int, str]]) -> tuple[FieldEvidence, ...]:
    out = []
    for name, by_gamma in labels.items():
        gamma = int(row[f"gamma_{name}"])
        weight = float(row[f"mw_{name}"]) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        out.append(FieldEvidence(name, by_gamma.get(gamma, str(gamma)), round(weight, 3)))
    return tuple(out)


def scoring_linker(
    api: Any,
    spec: ModelSpec,
    frame: pd.DataFrame,
    rows: Sequence[dict[str, Any]],
    *,
    settings: LinkageSettings,
    progress: ProgressCallback = _noop,
) -> tuple[Any, dict[str, Any], ModelChoice]:
    """A Splink linker over `frame`, registered with `api`, holding the model `spec` trained on it
    (or the reference model for a small file, or one with nothing to learn from), ready to score
    pairs; that model; and which it was, and why."""
    from splink import Linker

    table = api.register(frame, dataset_display_name="records")
    progress("train", 0.0)
    choice = TRAINED if not spec.reference_for_small_files or trains_own_model(rows) else SMALL_FILE
    if choice is TRAINED:
        training_table = table
        if len(frame) > settings.max_training_records:
            sample = frame.sample(n=settings.max_training_records, random_state=settings.seed)
            training_table = api.register(sample, dataset_display_name="sample")
        trainer = Linker(training_table, spec.settings, log_level=None)
        try:
            train(trainer, spec, settings)
            model = trainer.misc.save_model_to_json()
        except NothingToLearn as nothing:
            if not spec.reference_for_small_files:
                raise  # a model without a reference one has nothing to fall back on
            choice = ModelChoice("reference", nothing.reason)
    own_model = choice is TRAINED
    if not own_model:
        model = reference_model(len(frame))
    model = floor_m_probabilities(model)
    # EM on a small file can end at λ = 1 (or 0), with which Splink cannot score a pair; the
    # calibration below estimates it again from there.
    lam = float(model["probability_two_random_records_match"])
    model["probability_two_random_records_match"] = min(max(lam, 1e-12), 0.5)
    if spec.calibrate and own_model:
        progress("calibrate", 0.0)
        model = calibrate(
            _linker_factory(api),
            frame,
            model,
            max_records=settings.max_calibration_records,
            pairs=settings.u_sample_pairs,
            seed=settings.seed,
            pairs_per_query=settings.u_sample_pairs if on_spark(api) else U_PAIRS_PER_QUERY,
        )
    linker = Linker(table, model, log_level=None)
    if not own_model:
        register_small_file_tf_tables(linker, api, model, rows)
    return linker, model, choice


def run_model(
    records: Sequence[Record],
    spec: ModelSpec,
    frame: pd.DataFrame,
    rows: Sequence[dict[str, Any]],
    *,
    settings: LinkageSettings,
    db_api: Any = None,
    progress: ProgressCallback = _noop,
    labelled_pairs: Sequence[LabelledPair] | None = None,
) -> DedupeResult:
    """Train `spec` on `frame` (one row per record, `unique_id` = position in `records`), score the
    candidate pairs, refine the scores with `labelled_pairs` (`refine.py`), cluster (`rows`: the records'
    features, for the contradiction check) and collect the review band."""

    record_ids = [record.record_id for record in records]
    labelled = label_indices(labelled_pairs or (), record_ids)
    if len(records) < 2:
        return _result(DedupeResult({rid: rid for rid in record_ids}, [], 0), NO_MODEL)
    api = db_api if db_api is not None else duckdb_api(settings)
    linker, model, choice = scoring_linker(api, spec, frame, rows, settings=settings, progress=progress)
    progress("predict", 0.0)
    predictions = linker.inference.predict(
        threshold_match_probability=candidate_threshold(settings.review_threshold, bool(labelled)),
        warning_mode="never",
    )
    cannot_link: frozenset[tuple[int, int]] = frozenset()
    if labelled:
        refined = refine(linker, predictions, model, labelled, review_threshold=settings.review_threshold)
        predictions, cannot_link = refined.predictions, refined.cannot_link
    progress("cluster", 0.0)
    links = predictions.query_sql(
        # Only numbers and column names of our own are formatted into this SQL.
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {{this}} "  # noqa: S608
        f"WHERE match_probability >= {settings.match_threshold}"
    ).as_pandas_dataframe()
    roots = cluster(
        len(records),
        zip(
            links["match_probability"].astype(float),
            links["unique_id_l"].astype(int),
            links["unique_id_r"].astype(int),
            strict=True,
        ),
        rows if spec.refuse_contradictions else None,
        hard_conflicts(model),
        cannot_link,
        require_identifying=settings.auto_link_needs_identifier,
        must_link=[pair for pair, is_match in labelled.items() if is_match],
    )
    # The cluster id is the record_id of its first record in input order.
    first_member: dict[int, str] = {}
    clusters = {
        record_id: first_member.setdefault(roots[i], record_id) for i, record_id in enumerate(record_ids)
    }
    linked = int(
        sum(
            roots[int(a)] == roots[int(b)]
            for a, b in zip(links["unique_id_l"], links["unique_id_r"], strict=True)
        )
    )

    progress("review", 0.0)
    labels = _level_labels(model)
    wanted = ", ".join(
        ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
        + [f"{prefix}_{name}" for name in labels for prefix in ("gamma", "mw")]
        + [f"mw_tf_adj_{name}" for name in _tf_comparisons(model)]
    )
    # Links refused because they would join contradicting records come back for review too.
    query = f"SELECT {wanted} FROM {{this}} ORDER BY match_probability DESC"  # noqa: S608 (our columns)
    band = predictions.query_sql(query).as_pandas_dataframe()
    review: list[ScoredPair] = []
    for row in band.to_dict("records"):
        left, right = record_ids[int(row["unique_id_l"])], record_ids[int(row["unique_id_r"])]
        if clusters[left] == clusters[right]:
            continue
        review.append(
            ScoredPair(
                left=left,
                right=right,
                match_probability=float(row["match_probability"]),
                match_weight=float(row["match_weight"]),
                evidence=_evidence(row, labels),
            )
        )
    progress("done", 1.0)
    result = DedupeResult(clusters=clusters, review_pairs=review, linked_pair_count=int(linked), model=model)
    return _result(result, choice)


def _result(result: DedupeResult, choice: ModelChoice) -> DedupeResult:
    """`result` saying which model scored it, and why."""
    result.model_source, result.model_reason, result.model_note = choice.source, choice.reason, choice.note
    return result


def _linker_factory(api: Any) -> Callable[[pd.DataFrame, dict[str, Any]], Any]:
    """Linkers over frames registered with `api`, each frame once under a name of its own."""
    from splink import Linker

    registered: dict[int, tuple[pd.DataFrame, Any]] = {}

    def linker_for(frame: pd.DataFrame, model: dict[str, Any]) -> Any:
        # Keyed by identity, the frame kept alive beside its table so that the id stays its own.
        if id(frame) not in registered:
            name = f"calibration_{len(registered) + 1}"
            registered[id(frame)] = (frame, api.register(frame, dataset_display_name=name))
        return Linker(registered[id(frame)][1], model, log_level=None)

    return linker_for


def _tf_comparisons(model: dict[str, Any]) -> list[str]:
    return [
        comparison["output_column_name"]
        for comparison in model["comparisons"]
        if any(level.get("tf_adjustment_column") for level in comparison["comparison_levels"])
    ]


def dedupe(
    records: Sequence[Record],
    *,
    settings: LinkageSettings | None = None,
    db_api: Any = None,
    progress: ProgressCallback = _noop,
    labels: Sequence[LabelledPair] | None = None,
) -> DedupeResult:
    """Which records are the same person. `db_api` is a Splink database API (DuckDB on its own
    in-memory database when None; a `SparkAPI` for Spark); `progress(stage, fraction)` is called
    as the work advances. `labels` are pairs people have decided: the scores learn from them and
    they are pinned (docs/linkage.md, "Learning from reviewers"); a label naming a record that is
    not among `records` is a `ValueError`."""
    settings = settings or LinkageSettings()
    rows = feature_rows(records, progress)
    return run_model(
        records,
        vietnamese_model(),
        features_frame(rows),
        rows,
        settings=settings,
        db_api=db_api,
        progress=progress,
        labelled_pairs=labels,
    )
