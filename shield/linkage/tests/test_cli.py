"""The command line's contract: `python -m shield.linkage dedupe INPUT.csv --output OUTPUT.csv`."""

import csv
import subprocess
import sys

import pytest

from shield.linkage.__main__ import main
from shield.linkage.engine.contract import InputError, parse_records

HEADER = "record_id,full_name,sex,birth_date,id_number,province,source\n"
ROWS = (
    "1,Nguyễn Thị Hoa,F,1990-02-03,001190012345,Hà Nội,police\n"
    "2,HOA THI NGUYEN,F,1990,001190012345,Ha Noi,border_post\n"
    "3,NGUYEN<<THI<HOA,F,1990-02,,TP Hà Nội,shelter\n"
    "4,Trần Văn Nam,M,1985-05-06,,Hà Giang,police\n"
    '5,"Tran, Van Nam",M,1985-05-06,,Tuyên Quang,shelter\n'
    "6,Lê Thị Mai,F,2001,,Lào Cai,womens_union\n"
    "7,,,,,,hotline\n"
)


def _run(tmp_path, content: bytes, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    output = tmp_path / "out.csv"
    status = main(["dedupe", str(source), "--output", str(output)])
    return status, output, capsys.readouterr().err


def _clusters(path):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["record_id", "cluster_id"]
        return [tuple(row) for row in reader]


def test_every_record_comes_out_exactly_once_with_its_cluster(tmp_path, capsys):
    status, output, _ = _run(tmp_path, (HEADER + ROWS).encode(), capsys)
    rows = _clusters(output)
    assert status == 0
    assert [record_id for record_id, _ in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    cluster = dict(rows)
    assert cluster["1"] == cluster["2"] == "1"  # one CCCD, fitting both
    # 3 shares name, year, month and province with 1 and 2, no number and no full date: namesakes
    # share that much, so it is a pair for review, not a link (see test_review_pairs_...).
    assert cluster["3"] == "3"
    assert cluster["4"] == cluster["5"] == "4"
    assert len({cluster["1"], cluster["4"], cluster["6"], cluster["7"]}) == 4


def test_columns_may_come_in_any_order_with_a_byte_order_mark_and_extra_columns(tmp_path, capsys):
    content = "\ufeffsource,province,id_number,birth_date,sex,full_name,record_id,note\nx,,,,,Lan,a,n\n"
    status, output, _ = _run(tmp_path, content.encode(), capsys)
    assert status == 0
    assert _clusters(output) == [("a", "a")]


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b"record_id,full_name,sex,birth_date,id_number,source\n1,a,,,,x\n", 1, "missing column(s) province"),
        (
            (HEADER + "1,a,,,,,\n2,b,,,,,\n1,c,,,,,\n").encode(),
            4,
            "duplicate record_id '1' (first on line 2)",
        ),
        ((HEADER + "1,a,,,,,\n").encode() + b"2,Nguy\xe1n,,,,,\n", 3, "not UTF-8"),
        ((HEADER + "1,a,,,,,\n2,b,,\n").encode(), 3, "4 fields where the header has 7"),
        ((HEADER + "1,a,,,,,\n,b,,,,,\n").encode(), 3, "empty record_id"),
        (b"", 1, "empty"),
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(tmp_path, capsys, content, line, words):
    status, output, err = _run(tmp_path, content, capsys)
    assert status == 2
    assert f"line {line}: " in err
    assert words in err
    assert not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_quoted_line_break_keeps_line_numbers_true():
    content = (HEADER + '1,"Nguyễn\nHoa",,,,,\n2,b,,,,,\n2,c,,,,,\n').encode()
    with pytest.raises(InputError) as error:
        parse_records(content)
    assert error.value.line == 5


def test_a_failed_run_leaves_an_existing_output_untouched(tmp_path, capsys):
    (tmp_path / "out.csv").write_text("precious\n")
    status, output, _ = _run(tmp_path, b"record_id\n1\n", capsys)
    assert status == 2
    assert output.read_text() == "precious\n"


def test_the_module_runs_from_the_command_line(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    output = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "shield.linkage", "dedupe", str(source), "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(_clusters(output)) == 7


def test_a_small_file_says_on_stderr_that_the_reference_model_scored_it(tmp_path, capsys):
    status, _, err = _run(tmp_path, (HEADER + ROWS).encode(), capsys)
    assert status == 0
    assert "linkage: too small a file to train its own model: used the reference model\n" in err


def test_a_file_without_duplicates_says_why_it_used_the_reference_model(tmp_path, capsys):
    from shield.linkage.engine.synthetic import Generator, write_csv

    generator = Generator(21)
    records = [record for _ in range(1_100) for record in generator.records_of(generator.person(), 1, None)]
    write_csv(records, str(tmp_path / "in.csv"))
    status = main(["dedupe", str(tmp_path / "in.csv"), "--output", str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    assert status == 0
    assert (
        "linkage: too little to train on (no pairs matched the training rules): used the reference model\n"
        in err
    )
    assert "Deterministic matching rules" not in err  # Splink's warning is not passed on
    assert len(_clusters(tmp_path / "out.csv")) == 1_100


def _review_pairs(tmp_path, capsys, *extra: str):
    source = tmp_path / "in.csv"
    source.write_bytes((HEADER + ROWS).encode())
    output, pairs = tmp_path / "out.csv", tmp_path / "pairs.csv"
    status = main(["dedupe", str(source), "--output", str(output), "--review-pairs", str(pairs), *extra])
    return status, pairs, capsys.readouterr().err


def test_review_pairs_lists_every_pair_of_the_review_band_with_its_evidence(tmp_path, capsys):
    status, pairs, err = _review_pairs(tmp_path, capsys)
    assert status == 0
    with pairs.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = ["family", "given", "middle", "birth", "id_number", "sex", "province"]
    assert list(rows[0]) == [
        "record_id_l",
        "record_id_r",
        "probability",
        "match_weight",
        *(f"{name}_{part}" for name in fields for part in ("level", "weight")),
    ]
    assert f"{len(rows)} pairs for review" in err
    pair_ids = [{row["record_id_l"], row["record_id_r"]} for row in rows]
    assert {"1", "3"} in pair_ids
    assert {"2", "3"} in pair_ids
    probabilities = [float(row["probability"]) for row in rows]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(p >= 0.5 for p in probabilities)
    one_three = rows[pair_ids.index({"1", "3"})]
    assert one_three["given_level"] == "same given name, accents included"
    assert float(one_three["given_weight"]) > 0
    assert one_three["id_number_level"] == "missing on one side"
    assert float(one_three["id_number_weight"]) == 0
    # Each pair's field weights add up to its match weight less the prior.
    weights = [float(one_three[f"{name}_weight"]) for name in fields]
    assert sum(weights) > float(one_three["match_weight"])


def test_review_pairs_of_a_file_without_any_is_a_header_only(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes((HEADER + "1,Nguyễn Thị Hoa,F,1990,,Hà Nội,x\n").encode())
    pairs = tmp_path / "pairs.csv"
    status = main(["dedupe", str(source), "--output", str(tmp_path / "o.csv"), "--review-pairs", str(pairs)])
    capsys.readouterr()
    assert status == 0
    assert pairs.read_text(encoding="utf-8").splitlines() == [
        "record_id_l,record_id_r,probability,match_weight"
    ]


def test_review_pairs_that_cannot_be_written_fail_cleanly_and_write_nothing(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes((HEADER + ROWS).encode())
    output = tmp_path / "out.csv"
    output.write_text("kept\n", encoding="utf-8")
    status = main(
        ["dedupe", str(source), "--output", str(output), "--review-pairs", str(tmp_path / "no" / "pairs.csv")]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "pairs.csv: No such file or directory" in err
    assert output.read_text(encoding="utf-8") == "kept\n"  # OUTPUT.csv left as it was
    assert not list((tmp_path).glob(".linkage-*"))


def test_backend_spark_without_pyspark_says_what_to_install(tmp_path, capsys, monkeypatch):
    import shield.linkage.engine.spark as spark

    def unavailable(session=None):
        raise spark.SparkUnavailable(spark.PYSPARK_MISSING)

    monkeypatch.setattr(spark, "spark_api", unavailable)
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    status = main(["dedupe", str(source), "--output", str(output), "--backend", "spark"])
    assert status == 2
    assert "pip install -e '.[spark]'" in capsys.readouterr().err
    assert not output.exists()
