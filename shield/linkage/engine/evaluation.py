"""Pairwise precision, recall and F1 of a clustering against the truth, without listing pairs."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


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
