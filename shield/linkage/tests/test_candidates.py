"""“Possibly the same person” on the person page and while registering (people.candidates)."""

import datetime

import pytest

from shield.linkage.tests.factories import home_agency, registered, supervisor
from shield.people.candidates import candidates_for_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    return home_agency("police-hn", "01")


def test_candidates_come_with_their_evidence_strongest_first(police):
    reader = supervisor(police, scope="national")
    hoa = registered("Nguyễn Thị Hoa", agency=police, number="001195012345")
    same_paper = registered(
        "HOA NGUYEN",
        agency=home_agency("shelter", "79"),
        number="001195012345",
        born=datetime.date(1996, 2, 2),
    )
    same_name = registered(
        "Nguyễn Hoa", agency=police, born=datetime.date(1995, 1, 1), birth_date_precision="year"
    )
    registered("Nguyễn Thị Hoa", agency=police, born=datetime.date(1980, 1, 1))  # 15 years apart: no
    registered("Trần Văn Nam", agency=police, sex="male")
    found = candidates_for_person(user=reader, person=hoa)
    assert [c.person for c in found] == [same_paper, same_name]
    assert "same identity document number" in [e.text for e in found[0].evidence]
    assert "same year of birth" in [e.text for e in found[1].evidence]


def test_the_person_page_lists_candidates_in_reach_only(client, police):
    reader = supervisor(police)
    hoa = registered("Nguyễn Thị Hoa", agency=police)
    twin = registered("Hoa Nguyen", agency=police)
    far = registered("Nguyễn Thị Hoa", agency=home_agency("far", "79"))
    client.force_login(reader)
    body = client.get(f"/people/{hoa.pk}/").content.decode()
    assert f"/people/{twin.pk}/" in body
    assert 'data-testid="candidate-evidence"' in body
    assert f"/people/{far.pk}/" not in body


def test_registering_shows_candidates_born_a_year_apart(client, police):
    reader = supervisor(police)
    existing = registered("Nguyễn Thị Hoa", agency=police, born=datetime.date(1996, 5, 5))
    client.force_login(reader)
    response = client.post(
        "/people/new/",
        {
            "full_name": "Nguyen Thi Hoa",
            "sex": "female",
            "birth_date_precision": "year",
            "birth_date": "1995",
            "nationality": "VN",
        },
    )
    body = response.content.decode()
    assert 'data-testid="duplicate-candidates"' in body
    assert f"/people/{existing.pk}/" in body
    assert "born a year apart" in body


def test_a_record_merged_into_another_is_no_longer_a_candidate(police):
    from shield.linkage import services
    from shield.linkage.models import Decision
    from shield.linkage.tests.factories import review_pair

    reviewer = supervisor(police, scope="national")
    kept = registered("Nguyễn Thị Hoa", agency=police, number="001195012345")
    merged = registered("NGUYEN HOA", agency=home_agency("shelter", "79"), number="001195012345")
    third = registered("Nguyễn Thị Hoa", agency=police, number="001195012345")
    assert {c.person for c in candidates_for_person(user=reviewer, person=third)} == {kept, merged}
    pair = review_pair(kept, merged)
    services.pair_decide(
        actor=reviewer, pair=pair, decision=Decision.SAME, reason="Same CCCD", expected_version=1
    )
    merge = services.person_merge(actor=reviewer, survivor=kept, merged=merged, reason="Same CCCD")
    assert [c.person for c in candidates_for_person(user=reviewer, person=third)] == [kept]
    services.person_unmerge(actor=reviewer, merge=merge, reason="Two people after all")
    assert {c.person for c in candidates_for_person(user=reviewer, person=third)} == {kept, merged}
