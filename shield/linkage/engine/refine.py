"""Refining the Fellegi-Sunter scores with pairs people have decided (`dedupe(..., labels=...)`).

EM estimates how often each comparison level occurs among true matches without ever seeing one;
reviewers' decisions are true matches and non-matches. The refinement is a logistic regression on
the labelled pairs that keeps the trained model as its starting point: each pair's Fellegi-Sunter
log-odds is an offset (fixed), and what is learned is a correction per comparison level (one-hot on
the gamma values) plus an overall shift, each pulled towards zero by an L2 penalty. With few labels
the corrections stay near zero and the scores are the model's own; as labels accumulate the data
move the level weights where EM misjudged them. The penalty's strength is chosen by five-fold
cross-validation on the labels themselves (log-loss), from a fixed grid: it is what the labels
support, not a number set for one file.

Why not gradient boosting (which `bench/linkage_ceiling.py` trains on the whole truth): a review
queue yields hundreds of decisions, not the hundreds of thousands the ceiling sees, and those
decisions come from the review band only; a free-form classifier fitted there extrapolates
arbitrarily to the pairs it never saw (the confident links and non-links), while corrections to
additive level weights move every pair only as far as its levels were shown to be misjudged.

Labelled pairs are pinned: a match at probability 1 (linked, must-link), a non-match at 0 (never
linked; `clustering.cluster` refuses any chain that would join the two, its `cannot_link`). Their
comparison vectors are computed even when blocking did not produce them (Splink scores a registered
table of exactly those pairs).
"""

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from shield.linkage.engine.model import levels_by_gamma

# With labels, pairs are scored from this probability up (instead of from the review threshold):
# a correction can lift a pair the model alone put below the review band.
CANDIDATE_FLOOR = 0.01
# Fewer labels than this (or labels of one kind only) teach nothing beyond the pairs themselves:
# they are pinned, the scores are the model's.
MIN_LABELS_TO_LEARN = 20
# L2 penalty strengths tried by cross-validation (in units of the log-likelihood of one label).
PENALTIES = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
FOLDS = 5
# Log-odds are clipped here (nats) before they enter the regression: beyond, a pair is certain
# either way and its exact weight only destabilises the fit.
MAX_LOGIT = 30.0
MAX_WEIGHT_BITS = 60.0


def candidate_threshold(review_threshold: float, labelled: bool) -> float:
    """The probability from which `predict` keeps pairs: the review threshold, lower with labels."""
    return min(review_threshold, CANDIDATE_FLOOR) if labelled else review_threshold


@dataclass(frozen=True)
class LabelModel:
    """Corrections (in nats) to the Fellegi-Sunter log-odds: `shift` for every pair, and one per
    (comparison, gamma) level."""

    shift: float = 0.0
    corrections: Mapping[tuple[str, int], float] = field(default_factory=dict)
    penalty: float | None = None
    label_count: int = 0
    # The range of Fellegi-Sunter match weights (bits) the labelled pairs span: the corrections
    # apply only within it (outside, nothing was learned about how the model errs).
    support: tuple[float, float] = (0.0, 0.0)

    def correction_sql(self) -> str:
        """The correction in bits as a SQL expression over a prediction's gamma columns."""
        terms = [f"{self.shift / math.log(2):.12g}"]
        by_comparison: dict[str, list[tuple[int, float]]] = {}
        for (name, gamma), value in self.corrections.items():
            if value:
                by_comparison.setdefault(name, []).append((gamma, value / math.log(2)))
        for name, levels in sorted(by_comparison.items()):
            cases = " ".join(f"WHEN {gamma} THEN {value:.12g}" for gamma, value in sorted(levels))
            terms.append(f"(CASE gamma_{name} {cases} ELSE 0 END)")
        return " + ".join(terms)

    def correction(self, frame: pd.DataFrame) -> np.ndarray:
        """The correction (nats) of each row of a frame with gamma columns."""
        total = np.full(len(frame), self.shift)
        for (name, gamma), value in self.corrections.items():
            total += value * (frame[f"gamma_{name}"].to_numpy() == gamma)
        return total


def comparison_levels(model: Mapping[str, Any]) -> list[tuple[str, int]]:
    """Every (comparison, gamma) of a Splink model, the null level (-1) included."""
    levels = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        levels.append((name, -1))
        levels.extend((name, gamma) for gamma, _ in levels_by_gamma(comparison))
    return levels


def _design(frame: pd.DataFrame, levels: Sequence[tuple[str, int]]) -> np.ndarray:
    columns = [np.ones(len(frame))]
    columns += [(frame[f"gamma_{name}"].to_numpy() == gamma).astype(float) for name, gamma in levels]
    return np.column_stack(columns)


def _offset(frame: pd.DataFrame) -> np.ndarray:
    weight = pd.to_numeric(frame["match_weight"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    return np.clip(weight * math.log(2), -MAX_LOGIT, MAX_LOGIT)


def _fit(x: np.ndarray, y: np.ndarray, offset: np.ndarray, penalty: float) -> np.ndarray:
    """Penalised logistic regression with an offset, by Newton's method (the problem is small and
    strictly convex)."""
    beta = np.zeros(x.shape[1])
    ridge = penalty * np.eye(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(offset + x @ beta)))
        gradient = x.T @ (p - y) + penalty * beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return beta


def _log_loss(x: np.ndarray, y: np.ndarray, offset: np.ndarray, beta: np.ndarray) -> float:
    eta = offset + x @ beta
    # log(1 + e^eta) - y * eta, computed stably.
    return float(np.sum(np.logaddexp(0.0, eta) - y * eta))


def fit_label_model(frame: pd.DataFrame, is_match: np.ndarray, model: Mapping[str, Any]) -> LabelModel:
    """The corrections learned from labelled pairs (`frame`: their predictions, with gamma columns
    and match_weight; `is_match`: 1/0 per row)."""
    y = np.asarray(is_match, dtype=float)
    if len(y) < MIN_LABELS_TO_LEARN or y.min() == y.max():
        return LabelModel(label_count=len(y))
    levels = comparison_levels(model)
    x, offset = _design(frame, levels), _offset(frame)
    fold = np.arange(len(y)) % FOLDS
    losses = []
    for penalty in PENALTIES:
        loss = 0.0
        for k in range(FOLDS):
            train, test = fold != k, fold == k
            beta = _fit(x[train], y[train], offset[train], penalty)
            loss += _log_loss(x[test], y[test], offset[test], beta)
        losses.append(loss)
    penalty = PENALTIES[int(np.argmin(losses))]
    beta = _fit(x, y, offset, penalty)
    return LabelModel(
        shift=float(beta[0]),
        corrections={level: float(value) for level, value in zip(levels, beta[1:], strict=True)},
        penalty=penalty,
        label_count=len(y),
        support=(float(offset.min() / math.log(2)), float(offset.max() / math.log(2))),
    )


@dataclass(frozen=True)
class Refinement:
    predictions: Any  # SplinkDataFrame: the candidate pairs at or above the review threshold
    cannot_link: frozenset[tuple[int, int]]
    label_model: LabelModel


def score_labelled_pairs(linker: Any, pairs: Sequence[tuple[int, int]]) -> Any:
    """The predictions (comparison vectors and weights) of exactly these pairs of unique ids, blocked
    or not. Call after the linker's own `predict`: the pairs are registered as its blocked pairs."""
    table = pd.DataFrame(
        {
            "match_key": pd.Series(["0"] * len(pairs), dtype="string"),
            "join_key_l": pd.Series([a for a, _ in pairs], dtype="int64"),
            "join_key_r": pd.Series([b for _, b in pairs], dtype="int64"),
        }
    )
    registered = linker._db_api.register(table, dataset_display_name=f"labelled_pairs_{uuid.uuid4().hex}")
    linker.table_management.register_blocked_pairs_for_predict(registered)
    return linker.inference.predict(warning_mode="never")


def refine(
    linker: Any,
    predictions: Any,
    model: Mapping[str, Any],
    labels: Mapping[tuple[int, int], bool],
    *,
    review_threshold: float,
) -> Refinement:
    """`predictions` (scored from `candidate_threshold`) re-scored with what `labels` ((smaller
    unique id, larger) → is_match) teach, labelled pairs pinned, cut at the review threshold."""
    pairs = sorted(labels)
    labelled = score_labelled_pairs(linker, pairs)
    frame = labelled.as_pandas_dataframe()
    frame["__label"] = [
        int(labels[(int(a), int(b))]) for a, b in zip(frame["unique_id_l"], frame["unique_id_r"], strict=True)
    ]
    label_model = fit_label_model(frame, frame["__label"].to_numpy(), model)
    label_table = linker._db_api.register(
        pd.DataFrame(
            {
                "label_l": pd.Series([a for a, _ in pairs], dtype="int64"),
                "label_r": pd.Series([b for _, b in pairs], dtype="int64"),
                "label_match": pd.Series([int(labels[pair]) for pair in pairs], dtype="int64"),
            }
        ),
        dataset_display_name=f"labels_{uuid.uuid4().hex}",
    )
    columns = list(predictions.columns)
    names = [column.unquote().name if hasattr(column, "unquote") else str(column) for column in columns]
    others = [name for name in names if name not in ("match_probability", "match_weight")]
    listed = ", ".join(names)
    low, high = label_model.support
    weight = (
        f"(c.match_weight + CASE WHEN c.match_weight BETWEEN {low!r} AND {high!r} "
        f"THEN {label_model.correction_sql()} ELSE 0 END)"
    )
    clipped = f"LEAST(GREATEST({weight}, {-MAX_WEIGHT_BITS}), {MAX_WEIGHT_BITS})"
    refined_weight = (
        f"CASE WHEN lab.label_match = 1 THEN {MAX_WEIGHT_BITS} "
        f"WHEN lab.label_match = 0 THEN {-MAX_WEIGHT_BITS} ELSE {clipped} END"
    )
    refined_probability = (
        "CASE WHEN lab.label_match = 1 THEN 1.0 WHEN lab.label_match = 0 THEN 0.0 "
        f"ELSE 1.0 / (1.0 + POWER(2.0, -({clipped}))) END"
    )
    # Only column names of Splink's own and numbers are formatted into this SQL.
    sql = f"""
    WITH candidates AS (
        SELECT {listed} FROM {predictions.physical_name}
        UNION ALL
        SELECT {", ".join(f"q.{name}" for name in names)}
        FROM {labelled.physical_name} q
        LEFT JOIN {predictions.physical_name} p
            ON q.unique_id_l = p.unique_id_l AND q.unique_id_r = p.unique_id_r
        WHERE p.unique_id_l IS NULL
    ), scored AS (
        SELECT {", ".join(f"c.{name}" for name in others)},
            {refined_weight} AS match_weight,
            {refined_probability} AS match_probability
        FROM candidates c
        LEFT JOIN {label_table.physical_name} lab
            ON c.unique_id_l = lab.label_l AND c.unique_id_r = lab.label_r
    )
    SELECT * FROM scored WHERE match_probability >= {float(review_threshold)!r}
    """  # noqa: S608
    refined = linker._db_api.query_sql(sql)
    cannot = frozenset(pair for pair, is_match in labels.items() if not is_match)
    return Refinement(predictions=refined, cannot_link=cannot, label_model=label_model)
