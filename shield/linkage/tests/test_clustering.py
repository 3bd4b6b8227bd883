"""Clustering: a chain is refused when it would join records that plainly contradict each other,
and a date one keystroke apart is a typo, not a contradiction."""

from shield.linkage.engine import Record
from shield.linkage.engine.clustering import CONFLICT_FIELDS, cluster, conflict
from shield.linkage.engine.normalise import features


def _row(birth_date: str, sex: str = "F", id_number: str = "") -> dict[str, object]:
    row = features(Record("x", "Nguyễn Thị Hoa", sex, birth_date, id_number, "Hà Nội"))
    return {key: row[key] for key in CONFLICT_FIELDS}


def test_one_keystroke_in_a_full_date_is_a_typo_however_far_it_moves_the_year():
    assert not conflict(_row("1986-03-25"), _row("1916-03-25"))  # one digit
    assert not conflict(_row("1937-04-16"), _row("1973-04-16"))  # two neighbours swapped
    assert not conflict(_row("1990-02-03"), _row("1990-02-13"))  # one part
    assert not conflict(_row("1990-02-03"), _row("1990-03-02"))  # day and month swapped


def test_dates_more_than_a_typo_apart_and_other_sexes_contradict():
    assert conflict(_row("1990-02-03"), _row("1990-11-21"))
    assert conflict(_row("1986-03-25"), _row("1961-03-25"))  # two digits changed, 25 years
    assert conflict(_row("1990"), _row("1995"))
    assert not conflict(_row("1990"), _row("1992"))  # an estimated year
    assert conflict(_row("1990-02-03", "F"), _row("1990-02-03", "M"))


def test_a_chain_through_a_vague_record_does_not_join_two_contradicting_people():
    rows = [_row("1990"), _row("1990-02-03"), _row("1990-11-21")]
    roots = cluster(3, [(0.99, 0, 1), (0.98, 0, 2)], rows)
    assert roots[0] == roots[1]
    assert roots[2] != roots[0]
    # Without the records' features it is plain connected components.
    assert len(set(cluster(3, [(0.99, 0, 1), (0.98, 0, 2)]))) == 1


def test_an_estimated_year_three_off_contradicts_a_chain_end():
    assert conflict(_row("1994"), _row("1997-07-01"))
    rows = [_row("1994-07-01"), _row("1994"), _row("1997")]
    roots = cluster(3, [(0.99, 0, 1), (0.98, 1, 2)], rows)
    assert roots[0] == roots[1] != roots[2]
