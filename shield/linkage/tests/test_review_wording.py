"""The review reads sensibly: a decision is confirmed, a merge is summarised in proper sentences,
and the evidence words follow one scale of weights."""

import datetime

import pytest
from django.utils import timezone

from shield.linkage.models import PersonMerge
from shield.linkage.presenters import evidence_rows, merge_summary
from shield.linkage.tests.factories import home_agency, registered, review_pair, supervisor
from shield.people.candidates import Evidence
from shield.people.evidence import strength_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    police, shelter = home_agency("police-hn", "01"), home_agency("shelter-hn", "01")
    reviewer = supervisor(police, scope="province", username="sup")
    a = registered("Nguyễn Thị Hoa", agency=police)
    b = registered("Nguyen Hoa", agency=shelter, born=datetime.date(1995, 1, 1), birth_date_precision="year")
    return reviewer, review_pair(a, b, probability=0.93)


@pytest.mark.parametrize(
    ("decision", "words"), [("different", "Saved: different people."), ("same", "Saved: the same person.")]
)
def test_deciding_a_pair_through_htmx_shows_the_confirmation_in_the_swapped_part(
    client, setting, decision, words
):
    reviewer, pair = setting
    client.force_login(reviewer)
    response = client.post(
        f"/linkage/pairs/{pair.pk}/decide/",
        {"decision": decision, "reason": "Different mothers", "version": 1},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    body = response.content.decode()
    assert "<html" not in body  # the fragment htmx swaps in
    assert 'data-testid="pair-message"' in body
    assert words in body


def test_deciding_without_javascript_shows_the_confirmation_once(client, setting):
    reviewer, pair = setting
    client.force_login(reviewer)
    response = client.post(
        f"/linkage/pairs/{pair.pk}/decide/",
        {"decision": "different", "reason": "Different mothers", "version": 1},
        follow=True,
    )
    assert response.content.decode().count("Saved: different people.") == 1


def _merge(reviewer, pair, moved, undone=False):
    merge = PersonMerge(
        survivor=pair.person_low,
        merged=pair.person_high,
        merged_by=reviewer,
        moved=moved,
        created_at=timezone.now(),
    )
    if undone:
        merge.unmerged_at, merge.unmerged_by = timezone.now(), reviewer
    return merge


def test_a_merge_that_moved_nothing_says_so_in_words_and_nothing_about_undoing(setting):
    reviewer, pair = setting
    text = merge_summary(_merge(reviewer, pair, []))
    assert "0 linked" not in text
    assert "no linked records needed moving" in text
    assert "ndone" not in text


def test_a_merge_summary_counts_in_the_singular_and_plural_and_says_who_undid_it(setting):
    reviewer, pair = setting
    one = {"model": "people.alias", "pk": "x", "field": "person"}
    assert "1 linked record moved" in merge_summary(_merge(reviewer, pair, [one]))
    text = merge_summary(_merge(reviewer, pair, [one, one], undone=True))
    assert "2 linked records moved" in text
    assert f"Undone by {reviewer}" in text


def test_the_evidence_words_follow_one_scale_of_weights(setting):
    _reviewer, pair = setting
    # Sex agreeing at 0.97 bits is shown as "1.0": it reads the same as family name at 1.3.
    pair.evidence = [
        {"field": "sex", "level": "Exact match on sex", "weight": 0.97},
        {"field": "family", "level": "same family name (variants as one)", "weight": 1.3},
        {"field": "given", "level": "given name differs", "weight": -5.2},
    ]
    rows = {row.field: row for row in evidence_rows(pair)}
    assert rows["sex"].strength_label == rows["family"].strength_label == "for the same person"
    assert rows["given"].strength_label == "strongly against the same person"


def test_the_registrys_candidate_evidence_uses_the_same_words_as_the_review():
    for bits in (-5, -3, -1, 0, 0.97, 1, 1.5, 3, 4, 10):
        assert Evidence("x", "x", bits).strength == strength_of(bits)
    assert [strength_of(b).key for b in (-4, -1, -0.94, 0.94, 0.96, 3.95, 4)] == [
        "strong-against",
        "against",
        "neutral",
        "neutral",
        "some-for",
        "strong-for",
        "strong-for",
    ]
