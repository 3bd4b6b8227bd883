"""Pairs a person has decided: the LABELS.csv contract and the labels `dedupe` learns from.

LABELS.csv: UTF-8 (a byte-order mark is allowed) with the header `record_id_l,record_id_r,is_match`
(in any order; extra columns are ignored); `is_match` is one of 1/0, true/false, yes/no (any case).
Bad input — a missing column, a row with the wrong number of fields, an empty or unknown record id,
a record paired with itself, an unreadable `is_match`, one pair labelled both ways — raises
`InputError` naming the line, as the records file does (`contract.py`).
"""

import csv
import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from shield.linkage.engine.contract import InputError, _decode

LABEL_COLUMNS = ("record_id_l", "record_id_r", "is_match")
_TRUE = frozenset({"1", "true", "yes"})
_FALSE = frozenset({"0", "false", "no"})


@dataclass(frozen=True)
class LabelledPair:
    """Two records (by record_id) a person has said are (`is_match`) or are not one person."""

    left: str
    right: str
    is_match: bool


def _is_match(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse_labels(raw: bytes, known_ids: Collection[str] | None = None) -> list[LabelledPair]:
    """Labelled pairs from the bytes of a LABELS.csv, or `InputError` for the first problem found.
    With `known_ids`, a record id that is not among them is an error. A pair given twice with the
    same answer counts once."""
    reader = csv.reader(io.StringIO(_decode(raw), newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError(1, "the file is empty; expected the header " + ",".join(LABEL_COLUMNS)) from None
    missing = [name for name in LABEL_COLUMNS if name not in header]
    if missing:
        raise InputError(1, f"missing column(s) {', '.join(missing)} in the header")
    position = {name: header.index(name) for name in LABEL_COLUMNS}
    known = set(known_ids) if known_ids is not None else None
    seen: dict[frozenset[str], tuple[bool, int]] = {}
    labels: list[LabelledPair] = []
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                raise InputError(start, f"{len(row)} fields where the header has {len(header)}")
            left, right = row[position["record_id_l"]].strip(), row[position["record_id_r"]].strip()
            for name, record_id in (("record_id_l", left), ("record_id_r", right)):
                if not record_id:
                    raise InputError(start, f"empty {name}")
                if known is not None and record_id not in known:
                    raise InputError(start, f"{name} {record_id!r} is not a record of the input")
            if left == right:
                raise InputError(start, f"record {left!r} paired with itself")
            answer = _is_match(row[position["is_match"]])
            if answer is None:
                raise InputError(
                    start, f"is_match {row[position['is_match']]!r} is not one of 1/0, true/false, yes/no"
                )
            key = frozenset((left, right))
            if key in seen:
                earlier, earlier_line = seen[key]
                if earlier != answer:
                    pair = f"the pair {left!r}, {right!r}"
                    raise InputError(start, f"{pair} is labelled the other way on line {earlier_line}")
                continue
            seen[key] = (answer, start)
            labels.append(LabelledPair(left, right, answer))
    except csv.Error as error:
        raise InputError(line + 1, f"malformed CSV ({error})") from error
    return labels


def read_labels(path: str, known_ids: Collection[str] | None = None) -> list[LabelledPair]:
    with open(path, "rb") as handle:
        return parse_labels(handle.read(), known_ids)


def label_indices(labels: Sequence[LabelledPair], record_ids: Sequence[str]) -> dict[tuple[int, int], bool]:
    """(smaller index, larger index) of each labelled pair among `record_ids` → is_match. A record
    id not among them, or one pair labelled both ways, is a `ValueError`; a later equal label of
    the same pair counts once."""
    index = {record_id: i for i, record_id in enumerate(record_ids)}
    pairs: dict[tuple[int, int], bool] = {}
    for label in labels:
        unknown = [rid for rid in (label.left, label.right) if rid not in index]
        if unknown:
            names = ", ".join(map(repr, unknown))
            raise ValueError(f"labelled pair names record(s) not in the input: {names}")
        a, b = index[label.left], index[label.right]
        if a == b:
            raise ValueError(f"record {label.left!r} is labelled against itself")
        key = (min(a, b), max(a, b))
        if pairs.get(key, label.is_match) != label.is_match:
            raise ValueError(f"the pair {label.left!r}, {label.right!r} is labelled both ways")
        pairs[key] = label.is_match
    return pairs
