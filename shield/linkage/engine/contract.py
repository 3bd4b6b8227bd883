"""The command line's file contract: reading INPUT.csv strictly, writing OUTPUT.csv atomically.

Input: UTF-8 (a byte-order mark is allowed) with the header
`record_id,full_name,sex,birth_date,id_number,province,source` (in any order; extra columns are
ignored). Bad input — a missing column, a row with the wrong number of fields, an empty or
duplicate record_id, bytes that are not UTF-8 — raises `InputError` naming the line.
Output: `record_id,cluster_id`, every input record exactly once, in input order; written to a
temporary file beside the target and renamed only when complete.
"""

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping

from shield.linkage.engine.normalise import Record

INPUT_COLUMNS = ("record_id", "full_name", "sex", "birth_date", "id_number", "province", "source")
OUTPUT_COLUMNS = ("record_id", "cluster_id")


class InputError(ValueError):
    """Input that breaks the contract; `line` is the 1-based line of the file it was found on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def _decode(raw: bytes) -> str:
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise InputError(line, f"bytes that are not UTF-8 ({body[error.start : error.end]!r})") from error


def parse_records(raw: bytes) -> list[Record]:
    """Records from the bytes of an input file, or `InputError` for the first problem found."""
    reader = csv.reader(io.StringIO(_decode(raw), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(1, "the file is empty; expected the header " + ",".join(INPUT_COLUMNS)) from None
    header = [name.strip() for name in header]
    missing = [name for name in INPUT_COLUMNS if name not in header]
    if missing:
        raise InputError(1, f"missing column(s) {', '.join(missing)} in the header")
    position = {name: header.index(name) for name in INPUT_COLUMNS}
    records: list[Record] = []
    first_line: dict[str, int] = {}
    # reader.line_num counts physical lines, so a quoted field with a line break keeps the count.
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                raise InputError(start, f"{len(row)} fields where the header has {len(header)}")
            values = {name: row[index] for name, index in position.items()}
            record_id = values["record_id"].strip()
            if not record_id:
                raise InputError(start, "empty record_id")
            if record_id in first_line:
                raise InputError(
                    start, f"duplicate record_id {record_id!r} (first on line {first_line[record_id]})"
                )
            first_line[record_id] = start
            records.append(Record(**{**values, "record_id": record_id}))
    except csv.Error as error:
        raise InputError(line + 1, f"malformed CSV ({error})") from error
    return records


def read_records(path: str) -> list[Record]:
    with open(path, "rb") as handle:
        return parse_records(handle.read())


def write_clusters(path: str, record_ids: Iterable[str], clusters: Mapping[str, str]) -> None:
    """OUTPUT.csv, atomically: nothing at `path` changes unless the whole file was written."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".linkage-", suffix=".csv.tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(OUTPUT_COLUMNS)
            for record_id in record_ids:
                writer.writerow([record_id, clusters[record_id]])
        # mkstemp makes the file private; the output is an ordinary file like any other.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
