"""Finding people as a Vietnamese user searches, within the user's reach, with children masked."""

import datetime

import pytest
from django.utils import timezone

from shield.accounts.roles import ROLE_PERMISSIONS, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.core.errors import NotFound
from shield.core.pagination import CappedPaginator
from shield.people import search, selectors, services
from shield.people.tests.factories import document, person

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def hanoi():
    return AgencyFactory(province=province("01"))


@pytest.fixture
def worker(hanoi):
    return member(Role.CASE_WORKER, agency=hanoi)


@pytest.fixture
def hoa(worker):
    return person(actor=worker, full_name="Nguyễn Thị Hoa", birth_date=D(1995, 3, 14))


@pytest.fixture
def others(worker):
    return [
        person(actor=worker, full_name="Trần Thị Hoa", birth_date=D(1990, 1, 2)),
        person(actor=worker, full_name="Nguyễn Văn Hoàng", sex="male", birth_date=D(1995, 5, 5)),
        person(actor=worker, full_name="Lê Thị Khoa", birth_date=D(1995, 7, 7)),
        person(actor=worker, full_name="Nguyễn Thị Hòa", birth_date=D(1988, 8, 8)),
    ]


def found(user, **kwargs):
    return list(selectors.person_list_for(user=user, **kwargs))


@pytest.mark.parametrize(
    ("q", "birth_year"),
    [
        ("nguyen thi hoa", None),
        ("Nguyễn Thị Hoa", None),
        ("NGUYEN HOA", None),
        ("NGUYỄN THỊ HOA", None),
        ("hoa", 1995),
        ("hoa 1995", None),
        ("HOA THI NGUYEN", None),
        ("Hoa Nguyen", None),
        ("NGUYEN<<THI<HOA", None),
        ("  nguyễn   hoa ", None),
        ("Nguyen Van Hoa", None),  # Văn and Thị are optional either way
    ],
)
def test_each_way_of_writing_her_name_finds_her(worker, hoa, others, q, birth_year):
    assert hoa in found(worker, q=q, birth_year=birth_year)


def test_words_match_whole_names_not_parts_of_them(worker, hoa, others):
    results = found(worker, q="hoa")
    assert hoa in results
    names = {p.full_name for p in results}
    assert "Nguyễn Văn Hoàng" not in names
    assert "Lê Thị Khoa" not in names
    # Folding merges Hoa and Hòa: both are found, the user tells them apart.
    assert "Nguyễn Thị Hòa" in names


def test_a_birth_year_narrows_the_search(worker, hoa, others):
    assert found(worker, q="hoa", birth_year=1995) == [hoa]
    assert found(worker, q="hoa 1990")[0].full_name == "Trần Thị Hoa"


def test_hoang_and_huynh_vu_and_vo_find_each_other(worker):
    huynh = person(actor=worker, full_name="Huỳnh Thị Mai")
    vo = person(actor=worker, full_name="Võ Văn Tâm", sex="male")
    assert found(worker, q="Hoàng Thị Mai") == [huynh]
    assert found(worker, q="HOANG MAI") == [huynh]
    assert found(worker, q="vu tam") == [vo]
    assert found(worker, q="Vũ Văn Tâm") == [vo]


def test_aliases_find_the_person(worker, hoa, others):
    services.alias_add(actor=worker, person=hoa, name="Mây Lào Cai")
    assert found(worker, q="may") == [hoa]
    assert found(worker, q="Mây Nguyễn") == [hoa]


def test_a_document_number_finds_its_holder(worker, hoa, others):
    document(of=hoa, number="001195012345")
    document(of=others[0], kind="passport", number="C7654321")
    assert found(worker, q="001195012345") == [hoa]
    assert found(worker, q="001 195 012 345") == [hoa]
    assert found(worker, q="0011950") == [hoa]
    assert found(worker, q="c7654321") == [others[0]]
    assert found(worker, q="999999999") == []


def test_filters_by_province_and_birth_year(worker, hoa, others):
    services.person_update(actor=worker, person=hoa, expected_version=1, home_province=province("01"))
    assert found(worker, province=province("01")) == [hoa]
    assert found(worker, province=province("79")) == []
    assert {p.full_name for p in found(worker, birth_year=1995)} == {
        "Nguyễn Thị Hoa",
        "Nguyễn Văn Hoàng",
        "Lê Thị Khoa",
    }


def test_the_list_is_ordered_by_name_with_or_without_a_search(worker, hoa, others):
    names = [p.name_folded for p in found(worker)]
    assert names == sorted(names)
    assert len(names) == 5
    searched = [p.name_folded for p in found(worker, q="thi")]
    assert searched == sorted(searched)
    assert len(searched) == 4


def test_the_rarest_words_of_a_query_drive_the_search():
    assert search.by_selectivity(frozenset({"nguyen", "thi", "hoa"})) == ["hoa", "nguyen", "thi"]
    assert search.by_selectivity(frozenset({"nguyen", "sung"})) == ["sung", "nguyen"]
    plan = search.search_plan(search.parse_query("Nguyễn Thị Hoa").keys)
    assert plan == search.SearchPlan("hoa nguyen")
    plan = search.search_plan(search.parse_query("sung a pao").keys)
    assert plan == search.SearchPlan("pao sung", ("a",))
    assert search.search_plan(search.parse_query("van thi").keys) == search.SearchPlan("thi", ("van",))
    assert search.search_plan(frozenset()) is None


def test_three_words_find_only_those_with_all_three(worker):
    pao = person(actor=worker, full_name="Sùng A Páo", sex="male")
    person(actor=worker, full_name="Sùng Mí Páo", sex="male")
    assert found(worker, q="sung a pao") == [pao]
    assert len(found(worker, q="sung pao")) == 2


def test_another_agencys_case_worker_finds_nothing(hoa, others):
    stranger = member(Role.CASE_WORKER, agency=AgencyFactory(province=province("79")))
    assert found(stranger) == []
    assert found(stranger, q="nguyen thi hoa") == []
    with pytest.raises(NotFound):
        selectors.person_get_for(user=stranger, person_id=hoa.pk)


def test_scopes_reach_as_far_as_they_say(hanoi, worker, hoa):
    national = member(Role.SUPERVISOR, scope=Scope.NATIONAL, agency=AgencyFactory(province=province("79")))
    same_province = member(
        Role.SUPERVISOR, scope=Scope.PROVINCE, agency=AgencyFactory(province=province("01"))
    )
    other_province = member(
        Role.SUPERVISOR, scope=Scope.PROVINCE, agency=AgencyFactory(province=province("79"))
    )
    sub_agency = AgencyFactory(province=province("01"), parent=hanoi)
    parent_worker = member(Role.CASE_WORKER, agency=hanoi)
    in_sub_agency = person(owner_agency=sub_agency, full_name="Phạm Thị Lan")
    own_scope = member(Role.FRONTLINE_OFFICER, scope=Scope.OWN, agency=hanoi)
    own = person(actor=own_scope, full_name="Đỗ Thị Nga")

    assert selectors.person_get_for(user=national, person_id=hoa.pk) == hoa
    assert hoa in found(same_province, q="hoa")
    assert found(other_province, q="hoa") == []
    assert set(found(parent_worker)) == {hoa, in_sub_agency, own}
    assert found(own_scope) == [own]
    statistician = member(Role.STATISTICIAN, scope=Scope.NATIONAL, agency=hanoi)
    assert found(statistician) == []


def test_missing_and_malformed_ids_are_not_found(worker):
    for person_id in ["not-a-uuid", "00000000-0000-0000-0000-000000000000"]:
        with pytest.raises(NotFound):
            selectors.person_get_for(user=worker, person_id=person_id)


def test_a_childs_name_is_masked_for_roles_that_do_not_need_it(monkeypatch, hanoi, worker):
    twelve = timezone.localdate().year - 12
    child = person(
        actor=worker, full_name="Nguyễn Thị Hoa", birth_date=D(twelve, 1, 1), birth_date_precision="year"
    )
    adult = person(actor=worker, full_name="Trần Văn Nam", sex="male", birth_date=D(1980, 1, 1))
    unknown_age = person(actor=worker, full_name="Lê Thị Mai", birth_date=None)
    # A role that may look people up without needing children's names (none of today's roles is).
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.STATISTICIAN, frozenset({"people.view"}))
    viewer = member(Role.STATISTICIAN, agency=hanoi)
    assert child in found(viewer)

    assert selectors.display_name_for(user=viewer, person=child) == f"N. T. H. ({twelve})"
    assert selectors.display_name_for(user=viewer, person=adult) == "Trần Văn Nam"
    assert selectors.display_name_for(user=viewer, person=unknown_age) == "L. T. M."
    assert selectors.display_name_for(user=worker, person=child) == "Nguyễn Thị Hoa"
    # Known only by year: a child until the end of the year they may have turned 18 in.
    assert (
        selectors.display_name_for(user=viewer, person=child, on=D(twelve + 18, 12, 30))
        == f"N. T. H. ({twelve})"
    )
    assert selectors.display_name_for(user=viewer, person=child, on=D(twelve + 19, 1, 1)) == "Nguyễn Thị Hoa"


def test_a_masked_child_cannot_be_found_by_name(monkeypatch, hanoi, worker):
    today = timezone.localdate()
    child = person(actor=worker, full_name="Nguyễn Thị Hoa", birth_date=D(today.year - 12, 1, 1))
    adult = person(actor=worker, full_name="Nguyễn Thị Hoa", birth_date=D(1980, 1, 1))
    unknown_age = person(actor=worker, full_name="Nguyễn Thị Hoa", birth_date=None)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.STATISTICIAN, frozenset({"people.view"}))
    viewer = member(Role.STATISTICIAN, agency=hanoi)
    assert found(viewer, q="nguyen thi hoa") == [adult]
    assert set(found(viewer)) == {child, adult, unknown_age}  # listed, masked
    assert set(found(worker, q="nguyen thi hoa")) == {child, adult, unknown_age}


@pytest.mark.parametrize(
    "role", [Role.FRONTLINE_OFFICER, Role.CASE_WORKER, Role.SUPERVISOR, Role.JUSTICE_OFFICER]
)
def test_people_facing_roles_see_childrens_names(role):
    assert "people.see_child_names" in ROLE_PERMISSIONS[role]


def test_relationships_do_not_reveal_people_out_of_reach(worker, hoa):
    stranger_agency = AgencyFactory(province=province("79"))
    out_of_reach = person(owner_agency=stranger_agency, full_name="Bùi Văn Tài", sex="male")
    in_reach = person(actor=worker, full_name="Nguyễn Văn Bình", sex="male", birth_date=D(1960, 1, 1))
    services.relationship_add(actor=worker, person=hoa, kind="parent", related_person=in_reach)
    services.relationship_add(actor=worker, person=hoa, kind="companion", related_person=out_of_reach)
    services.relationship_add(actor=worker, person=hoa, kind="sibling", related_name="Nguyễn Thị Lan")
    entries = selectors.relationship_list_for(user=worker, person=hoa)
    assert [(e.related_person, e.name) for e in entries] == [
        (in_reach, "Nguyễn Văn Bình"),
        (None, "a person registered by another agency"),
        (None, "Nguyễn Thị Lan"),
    ]
    assert "Bùi" not in str([e.name for e in entries])


def test_documents_and_aliases_of_a_person(worker, hoa):
    document(of=hoa, number="001195012345")
    services.alias_add(actor=worker, person=hoa, name="Hoa nhỏ")
    assert [d.number for d in selectors.document_list(person=hoa)] == ["001195012345"]
    assert [a.name for a in selectors.alias_list(person=hoa)] == ["Hoa nhỏ"]


def test_the_list_query_count_does_not_grow_with_the_page(worker, django_assert_num_queries):
    for i in range(3):
        person(actor=worker, full_name=f"Nguyễn Thị Hoa {i}")

    def read():
        worker_fresh = type(worker).objects.get(pk=worker.pk)
        rows = list(selectors.person_list_for(user=worker_fresh, q="nguyen hoa"))
        return [
            (p.home_province, p.owner_agency.name, selectors.display_name_for(user=worker_fresh, person=p))
            for p in rows
        ]

    # The user, their memberships, the agency tree, Django's own permission tables (asked once by
    # has_perm, then cached on the user), then the persons with their agency and places in one
    # query: nothing per row.
    with django_assert_num_queries(6):
        assert len(read()) == 3
    for i in range(3, 10):
        person(actor=worker, full_name=f"Nguyễn Thị Hoa {i}")
    with django_assert_num_queries(6):
        assert len(read()) == 10


def test_list_pages_count_up_to_a_cap(worker, hoa, others):
    persons = selectors.person_list_for(user=worker, q="hoa")
    exact = CappedPaginator(persons, 25)
    assert (exact.count, exact.count_exact) == (3, True)
    at_cap = CappedPaginator(persons, 25, cap=3)
    assert (at_cap.count, at_cap.count_exact) == (3, True)
    beyond = CappedPaginator(persons, 1, cap=2)
    assert (beyond.count, beyond.count_exact, beyond.num_pages) == (2, False, 2)
    assert [p.pk for p in beyond.page(2).object_list] == [p.pk for p in persons[1:2]]
