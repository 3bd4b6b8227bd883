"""Vietnamese-aware record linkage: which records, from any agency, are the same person.

Pure Python on Splink 5 (DuckDB by default, Spark when given a `SparkAPI`); no Django, so any
layer may use it. The whole engine is one call:

    from shield.linkage.engine import Record, dedupe
    result = dedupe([Record("a", "Nguyễn Thị Hoa", "F", "1990", ...), ...])
    result.clusters        # record_id → cluster_id
    result.review_pairs    # uncertain pairs with per-field evidence, for a person to decide

docs/linkage.md explains the model.
"""

from shield.linkage.engine.contract import InputError, parse_records, read_records, write_clusters
from shield.linkage.engine.dedupe import (
    DedupeResult,
    FieldEvidence,
    LinkageSettings,
    ScoredPair,
    dedupe,
)
from shield.linkage.engine.normalise import Record, features

__all__ = [
    "DedupeResult",
    "FieldEvidence",
    "InputError",
    "LinkageSettings",
    "Record",
    "ScoredPair",
    "dedupe",
    "features",
    "parse_records",
    "read_records",
    "write_clusters",
]
