"""Learning from reviewers: the LABELS.csv contract, pinned pairs, the refinement, `--labels`."""

import csv

import numpy as np
import pandas as pd
import pytest

from shield.linkage.__main__ import main
from shield.linkage.engine import dedupe, parse_records
from shield.linkage.engine.clustering import cluster
from shield.linkage.engine.contract import InputError
from shield.linkage.engine.labels import LabelledPair, label_indices, parse_labels
from shield.linkage.engine.refine import MIN_LABELS_TO_LEARN, fit_label_model
from shield.linkage.tests.test_cli import HEADER, ROWS

LABEL_HEADER = "record_id_l,record_id_r,is_match\n"


def test_labels_read_every_spelling_of_yes_and_no():
    content = LABEL_HEADER + "1,2,1\n3,4,0\n1,3,TRUE\n2,4,false\n5,6,Yes\n6,7,no\n2,1,1\n"
    labels = parse_labels(content.encode(), {str(n) for n in range(1, 8)})
    assert labels == [
        LabelledPair("1", "2", True),
        LabelledPair("3", "4", False),
        LabelledPair("1", "3", True),
        LabelledPair("2", "4", False),
        LabelledPair("5", "6", True),
        LabelledPair("6", "7", False),
    ]


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("", 1, "the file is empty"),
        ("record_id_l,record_id_r\n1,2\n", 1, "missing column(s) is_match"),
        (LABEL_HEADER + "1,2,1\n1,2\n", 3, "2 fields where the header has 3"),
        (LABEL_HEADER + "1,2,maybe\n", 2, "is_match 'maybe'"),
        (LABEL_HEADER + "1,,1\n", 2, "empty record_id_r"),
        (LABEL_HEADER + "1,9,1\n", 2, "record_id_r '9' is not a record of the input"),
        (LABEL_HEADER + "2,2,0\n", 2, "paired with itself"),
        (LABEL_HEADER + "1,2,1\n\n2,1,0\n", 4, "labelled the other way on line 2"),
    ],
)
def test_a_bad_labels_file_names_the_line(content, line, words):
    with pytest.raises(InputError) as caught:
        parse_labels(content.encode(), {"1", "2", "3"})
    assert caught.value.line == line
    assert words in str(caught.value)


def test_label_indices_refuse_unknown_records():
    with pytest.raises(ValueError, match="not in the input"):
        label_indices([LabelledPair("a", "z", True)], ["a", "b"])
    assert label_indices([LabelledPair("b", "a", False)], ["a", "b"]) == {(0, 1): False}


def test_a_cannot_link_pair_is_not_joined_through_a_chain():
    links = [(0.99, 0, 1), (0.98, 1, 2)]
    assert len(set(cluster(3, links))) == 1
    roots = cluster(3, links, cannot_link=[(0, 2)])
    assert roots[0] == roots[1] != roots[2]


def _frame(gammas, weights):
    return pd.DataFrame({"gamma_sex": gammas, "match_weight": weights})


MODEL = {
    "comparisons": [
        {
            "output_column_name": "sex",
            "comparison_levels": [
                {"is_null_level": True, "sql_condition": "x"},
                {"sql_condition": "sex_l = sex_r", "m_probability": 0.9, "u_probability": 0.5},
                {"sql_condition": "ELSE", "m_probability": 0.1, "u_probability": 0.5},
            ],
        }
    ]
}


def test_the_refinement_learns_where_the_model_misjudges_a_level_and_nothing_from_few_labels():
    rng = np.random.default_rng(1)
    gammas = rng.integers(0, 2, 400)
    # The model scores every pair even (weight 0); in truth sex agreeing (gamma 1) is a match
    # nine times in ten and disagreeing one time in ten.
    truth = (rng.random(400) < np.where(gammas == 1, 0.9, 0.1)).astype(int)
    learned = fit_label_model(_frame(gammas, np.zeros(400)), truth, MODEL)
    assert learned.corrections[("sex", 1)] - learned.corrections[("sex", 0)] > 2.0
    few = fit_label_model(_frame(gammas[: MIN_LABELS_TO_LEARN - 1], np.zeros(19)), truth[:19], MODEL)
    assert few.corrections == {}
    assert few.shift == 0.0


RECORDS = parse_records((HEADER + ROWS).encode())


def test_without_labels_the_result_is_the_same_and_labels_are_pinned():
    plain = dedupe(RECORDS)
    assert dedupe(RECORDS, labels=[]) == plain
    # 1 and 2 share a fitting number; 3 (no number, no day) goes to review, not to a link.
    assert plain.clusters["1"] == plain.clusters["2"] != plain.clusters["3"]
    assert any("3" in (pair.left, pair.right) for pair in plain.review_pairs)
    assert plain.clusters["6"] != plain.clusters["4"]
    labelled = dedupe(
        RECORDS,
        labels=[LabelledPair("2", "1", False), LabelledPair("6", "4", True), LabelledPair("3", "1", True)],
    )
    # 1 and 2 stay apart despite their shared number; 4 and 6, 1 and 3 are one person because a
    # person said so, without the identifying evidence a link made without a person needs.
    assert labelled.clusters["1"] != labelled.clusters["2"]
    assert labelled.clusters["4"] == labelled.clusters["6"]
    assert labelled.clusters["1"] == labelled.clusters["3"]


def _run(tmp_path, labels: str | None, capsys):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    output = tmp_path / "out.csv"
    argv = ["dedupe", str(source), "--output", str(output)]
    if labels is not None:
        (tmp_path / "labels.csv").write_text(labels, encoding="utf-8")
        argv += ["--labels", str(tmp_path / "labels.csv")]
    return main(argv), output, capsys.readouterr().err


def test_cli_labels_keep_a_rejected_pair_apart(tmp_path, capsys):
    status, output, _ = _run(tmp_path, LABEL_HEADER + "1,2,no\n", capsys)
    assert status == 0
    with output.open(encoding="utf-8", newline="") as handle:
        cluster_of = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    assert cluster_of["1"] != cluster_of["2"]


def test_cli_bad_labels_exit_2_naming_the_line_and_write_nothing(tmp_path, capsys):
    status, output, error = _run(tmp_path, LABEL_HEADER + "1,2,1\n1,99,0\n", capsys)
    assert status == 2
    assert "labels.csv: line 3: record_id_r '99' is not a record of the input" in error
    assert not output.exists()
    status, output, error = _run(tmp_path, None, capsys)
    assert status == 0
    missing = ["--labels", str(tmp_path / "nonexistent.csv")]
    assert main(["dedupe", str(tmp_path / "in.csv"), "--output", str(output), *missing]) == 2
