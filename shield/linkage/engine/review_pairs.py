"""PAIRS.csv: the pairs a run leaves for a person to decide, with each field's evidence, for a file
user to review in a spreadsheet (`python -m shield.linkage dedupe ... --review-pairs PAIRS.csv`).

Header `record_id_l,record_id_r,probability,match_weight`, then two columns per comparison of the
model, `<field>_level` (the level the pair reached, e.g. `same given name, accents included`) and
`<field>_weight` (its weight in bits, term frequency included; positive speaks for a match), one
row per pair of `DedupeResult.review_pairs`, most probable first. Two columns rather than one
`same (TF) +3.2` text so that a spreadsheet can sort and filter on either.
"""

import csv
import os
import tempfile
from collections.abc import Sequence

from shield.linkage.engine.dedupe import ScoredPair

PAIR_COLUMNS = ("record_id_l", "record_id_r", "probability", "match_weight")


def review_pair_rows(pairs: Sequence[ScoredPair]) -> list[list[str]]:
    """The header and one row per pair (see the module's docstring)."""
    fields = [evidence.field for evidence in pairs[0].evidence] if pairs else []
    header = [*PAIR_COLUMNS, *(f"{name}_{part}" for name in fields for part in ("level", "weight"))]
    rows = [header]
    for pair in pairs:
        by_field = {evidence.field: evidence for evidence in pair.evidence}
        row = [pair.left, pair.right, f"{pair.match_probability:.6f}", f"{pair.match_weight:.2f}"]
        for name in fields:
            evidence = by_field.get(name)
            row += [evidence.level, f"{evidence.weight:.2f}"] if evidence else ["", ""]
        rows.append(row)
    return rows


def write_review_pairs(path: str, pairs: Sequence[ScoredPair]) -> None:
    """PAIRS.csv, atomically: nothing at `path` changes unless the whole file was written."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".linkage-pairs-", suffix=".csv.tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(review_pair_rows(pairs))
        # mkstemp makes the file private; the output is an ordinary file like any other.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
