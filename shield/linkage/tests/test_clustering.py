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


def test_a_link_without_a_person_needs_a_shared_full_date_or_number():
    from shield.linkage.engine.clustering import auto_linkable, identifying

    assert identifying(_row("1990-02-03"), _row("1990-02-03"))
    assert identifying(_row("1990", id_number="001190012345"), _row("", id_number="001190012345"))
    assert identifying(_row("1990", id_number="001190012345"), _row("", id_number="001190012346"))
    # Name, year and province agree for namesakes too; a month more is not a person either.
    assert not identifying(_row("1990"), _row("1990-02-03"))
    assert not identifying(_row("1990-02"), _row("1990-02-03"))
    assert not identifying(_row("1990-02-03"), _row("1990-02-13"))
    # A shared number does not excuse another birth date or sex in a link made without a person.
    lent = "001190012345"
    assert not auto_linkable(_row("1990-02-03", id_number=lent), _row("1990-11-21", id_number=lent))
    assert auto_linkable(_row("1990-02-03", id_number=lent), _row("1990", id_number=lent))


def test_clustering_with_require_identifying_leaves_weak_links_out():
    rows = [_row("1990"), _row("1990-02-03"), _row("1990-02-03"), _row("1990-11-21")]
    links = [(0.999, 0, 1), (0.99, 1, 2), (0.98, 0, 3)]
    roots = cluster(4, links, rows, require_identifying=True)
    assert roots[1] == roots[2]
    assert len({roots[0], roots[1], roots[3]}) == 3
    # Without it, the year-only record joins the first date's cluster (the chain to the other is refused).
    roots = cluster(4, links, rows)
    assert roots[0] == roots[1] == roots[2] != roots[3]
