"""The person registry's pages end to end: search, register (with the duplicate check), the
detail page and its small forms, editing with optimistic concurrency, masking and audit."""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import ROLE_PERMISSIONS, Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.audit.models import AuditAction, AuditEvent
from shield.people import services
from shield.people.birth_dates import add_years
from shield.people.models import Alias, IdentityDocument, Person, Relationship
from shield.people.tests import factories as people

pytestmark = pytest.mark.django_db

D = datetime.date
LIST_URL = reverse("people:person_list")
CREATE_URL = reverse("people:person_create")
HOA_CCCD = "001195012345"  # Hà Nội, female, born 1995: fits her


def detail_url(person):
    return reverse("people:person_detail", args=[person.pk])


def edit_url(person):
    return reverse("people:person_edit", args=[person.pk])


@pytest.fixture
def agency():
    return AgencyFactory(code="hanoi-spc", name_en="Hanoi Protection Centre", province=province("01"))


@pytest.fixture
def worker(agency):
    return member(Role.CASE_WORKER, agency=agency, username="cw.hanoi")


@pytest.fixture
def hoa(worker):
    hoa = people.person(
        actor=worker,
        full_name="Nguyễn Thị Hoa",
        birth_date=D(1995, 3, 14),
        home_province=province("01"),
        contact="Zalo 0912 345 678",
    )
    people.document(of=hoa, number=HOA_CCCD)
    return hoa


@pytest.fixture
def others(worker):
    return [
        people.person(actor=worker, full_name="Trần Thị Hoa", birth_date=D(1990, 1, 2)),
        people.person(actor=worker, full_name="Nguyễn Văn Hoàng", sex="male", birth_date=D(1995, 5, 5)),
        people.person(actor=worker, full_name="Lê Thị Khoa", birth_date=D(1995, 7, 7)),
    ]


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def listed_names(response):
    return re.findall(r'data-testid="person-link">([^<]+)<', response.content.decode())


def register_data(**overrides):
    data = {
        "full_name": "NGUYEN THI HOA",
        "family_name": "",
        "middle_name": "",
        "given_name": "",
        "parsed_from": "",
        "sex": "female",
        "birth_date_precision": "year",
        "birth_date": "2010",
        "estimated_age": "",
        "age_estimated_on": "",
        "nationality": "VN",
        "ethnicity": "01",
        "languages": "vi, hmn",
        "home_province": "01",
        "home_commune": "",
        "contact": "Aunt's phone 0987 000 111",
        "disability": "",
    }
    data.update(overrides)
    return data


# --- list and search ----------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["nguyen thi hoa", "NGUYEN HOA", "hoa 1995", "Nguyễn Thị Hoa", HOA_CCCD])
def test_search_finds_her_however_she_is_typed(client_of, worker, hoa, others, q):
    response = client_of(worker).post(LIST_URL, {"q": q}, follow=True)
    assert response.status_code == 200
    assert listed_names(response) == ["Nguyễn Thị Hoa"]


def test_search_by_name_alone_lists_every_match_by_name(client_of, worker, hoa, others):
    response = client_of(worker).post(LIST_URL, {"q": "hoa"}, follow=True)
    assert listed_names(response) == ["Nguyễn Thị Hoa", "Trần Thị Hoa"]


def test_filters_by_province_and_birth_year(client_of, worker, hoa, others):
    client = client_of(worker)
    assert listed_names(client.get(LIST_URL, {"province": "01"})) == ["Nguyễn Thị Hoa"]
    assert listed_names(client.get(LIST_URL, {"province": "79"})) == []
    assert set(listed_names(client.get(LIST_URL, {"birth_year": "1995"}))) == {
        "Nguyễn Thị Hoa",
        "Nguyễn Văn Hoàng",
        "Lê Thị Khoa",
    }


def test_the_list_shows_birth_with_its_precision_province_and_agency(client_of, worker, hoa):
    people.person(
        actor=worker,
        full_name="Lò Văn Páo",
        sex="male",
        birth_date=D(1988, 1, 1),
        birth_date_precision="year",
    )
    people.person(
        actor=worker,
        full_name="Giàng A Sùng",
        sex="male",
        birth_date=None,
        birth_date_precision="estimated_age",
        estimated_age=30,
        age_estimated_on=add_years(timezone.localdate(), -2),
    )
    body = client_of(worker).get(LIST_URL).content.decode()
    assert "14/03/1995" in body
    assert "1988 <span" in body
    assert "year only" in body
    assert "about 32 years old" in body  # estimated two years ago
    assert "Hà Nội" in body
    assert "Hanoi Protection Centre" in body


def test_an_invalid_year_is_explained_and_lists_nobody(client_of, worker, hoa):
    response = client_of(worker).get(LIST_URL, {"birth_year": "19x5"})
    assert response.status_code == 200
    assert 'data-testid="invalid-filters"' in response.content.decode()
    assert listed_names(response) == []


def test_pages_of_25_with_links_that_keep_the_filters(client_of, worker):
    for i in range(30):
        people.person(
            actor=worker, full_name=f"Nguyễn Thị Hoa {chr(65 + i % 26)}{i}", birth_date=D(2001, 1, 1)
        )
    client = client_of(worker)
    first = client.post(LIST_URL, {"q": "hoa", "birth_year": "2001"}, follow=True)
    assert len(listed_names(first)) == 25
    body = first.content.decode()
    assert "30 people" in body
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)" hx-get="[^"]*" rel="next"', body).group(1)
    # The link names the kept search by its key, never the words searched.
    assert re.fullmatch(r"\?s=[\w-]+&amp;page=2", next_link)
    second = client.get(LIST_URL + next_link.replace("&amp;", "&"))
    assert len(listed_names(second)) == 5
    assert not set(listed_names(first)) & set(listed_names(second))


def test_htmx_gets_only_the_results(client_of, worker, hoa):
    response = client_of(worker).post(LIST_URL, {"q": "hoa"}, headers={"HX-Request": "true"}, follow=True)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="people-results"')
    assert "<html" not in body
    assert "Nguyễn Thị Hoa" in body
    assert "HX-Request" in response["Vary"]


def test_empty_states_say_what_to_do(client_of, worker, agency):
    client = client_of(worker)
    body = client.get(LIST_URL).content.decode()
    assert "No people registered yet." in body
    assert f'href="{CREATE_URL}"' in body
    searched = client.post(LIST_URL, {"q": "nobody like this"}, follow=True).content.decode()
    assert "No one matches this search." in searched
    assert "Register a new person" in searched


def test_empty_state_offers_no_register_button_to_those_who_cannot_register(client_of, agency):
    justice = member(Role.JUSTICE_OFFICER, agency=agency)
    body = client_of(justice).get(LIST_URL).content.decode()
    assert "No people registered yet." in body
    assert CREATE_URL not in body


def test_the_list_page_query_count_does_not_grow_with_its_rows(client, worker, django_assert_max_num_queries):
    for i in range(3):
        people.person(actor=worker, full_name=f"Phạm Thị Lan {i}")
    client.force_login(worker)
    client.get(LIST_URL)  # the first request of the minute also refreshes the session's expiry
    # 10: one of them asks the registered notice providers (linkage: "merged into …") for the page;
    # + 4 for the page's `list` audit event: the chain's head, the insert, and the savepoint around
    # them (in production the BEGIN and COMMIT of its own transaction); on PostgreSQL + 1 for the
    # chain's advisory lock; + 1 for the notification bell's unread count.
    with django_assert_max_num_queries(15 + (connection.vendor == "postgresql")) as few:
        assert len(listed_names(client.get(LIST_URL))) == 3
    for i in range(3, 25):
        people.person(actor=worker, full_name=f"Phạm Thị Lan {i}")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert len(listed_names(client.get(LIST_URL))) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


# --- masking ------------------------------------------------------------------------------------


@pytest.fixture
def child(worker):
    twelve = timezone.localdate().year - 12
    return people.person(
        actor=worker,
        full_name="Vàng Thị Mỷ",
        birth_date=D(twelve, 1, 1),
        birth_date_precision="year",
        contact="Bản Phùng, call the village head",
    )


@pytest.fixture
def name_blind_viewer(monkeypatch, agency):
    """A role that may look people up but does not need children's names. No role of today's
    table is one (every role with people.view also has see_child_names), so the test grants it."""
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.SERVICE_PROVIDER, frozenset({"people.view"}))
    return member(Role.SERVICE_PROVIDER, agency=agency)


def test_a_childs_name_is_masked_in_the_list_and_the_detail_header(client_of, name_blind_viewer, child):
    client = client_of(name_blind_viewer)
    year = child.birth_year
    listed = client.get(LIST_URL)
    assert listed_names(listed) == [f"V. T. M. ({year})"]
    assert "Vàng" not in listed.content.decode()
    detail = client.get(detail_url(child)).content.decode()
    assert "Vàng" not in detail
    assert "Mỷ" not in detail
    assert f"V. T. M. ({year})" in detail
    assert 'data-testid="name-hidden"' in detail
    # Contact details are for those who may register people only.
    assert "village head" not in detail
    # Finding her by her name would tell her name: the search does not (the selector's rule).
    assert listed_names(client.post(LIST_URL, {"q": "vang thi my"}, follow=True)) == []


def test_an_adults_name_is_not_masked(client_of, name_blind_viewer, hoa):
    assert listed_names(client_of(name_blind_viewer).get(LIST_URL)) == ["Nguyễn Thị Hoa"]


def test_case_workers_see_childrens_names_and_contact(client_of, worker, child):
    body = client_of(worker).get(detail_url(child)).content.decode()
    assert "Vàng Thị Mỷ" in body
    assert "village head" in body


def test_a_justice_officer_sees_the_person_but_not_the_contact(client_of, agency, hoa):
    justice = member(Role.JUSTICE_OFFICER, agency=agency)
    body = client_of(justice).get(detail_url(hoa)).content.decode()
    assert "Nguyễn Thị Hoa" in body
    assert "0912 345 678" not in body
    assert 'data-testid="document-form"' not in body


def test_a_statistician_cannot_list_people(client_of, agency, hoa):
    statistician = member(Role.STATISTICIAN, agency=agency)
    response = client_of(statistician).get(LIST_URL, {"q": "hoa"})
    assert response.status_code == 403
    assert "Nguyễn" not in response.content.decode()


# --- register -----------------------------------------------------------------------------------


def test_the_name_is_parsed_as_it_is_typed(client_of, worker):
    response = client_of(worker).get(
        reverse("people:parse_name"), {"full_name": "Hoa Nguyen Thi"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'data-testid="parse-preview"' in body
    assert 'name="family_name" value="Nguyen"' in body
    assert 'name="middle_name" value="Thi"' in body
    assert 'name="given_name" value="Hoa"' in body
    assert 'name="parsed_from" value="Hoa Nguyen Thi"' in body


def test_communes_follow_the_province(client_of, worker):
    body = client_of(worker).get(reverse("people:commune_options"), {"home_province": "01"}).content.decode()
    assert body.count("<option") > 50
    assert "Ba Đình" in body
    none = client_of(worker).get(reverse("people:commune_options"), {"home_province": "zz"}).content.decode()
    assert none.count("<option") == 1


def test_registering_a_new_person_redirects_to_her_page(client_of, worker, agency):
    response = client_of(worker).post(CREATE_URL, register_data())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(person)
    assert (person.family_name, person.middle_name, person.given_name) == ("Nguyen", "Thi", "Hoa")
    assert person.birth_date_precision == "year"
    assert person.birth_year == 2010
    assert person.languages == ["vi", "hmn"]
    assert person.home_province.code == "01"
    assert person.contact == "Aunt's phone 0987 000 111"
    assert person.owner_agency == agency
    page = client_of(worker).get(response["Location"]).content.decode()
    assert "The person was registered." in page


def test_corrected_name_parts_are_kept(client_of, worker):
    client_of(worker).post(
        CREATE_URL,
        register_data(
            full_name="MAI VAN NGUYEN",
            family_name="Mai",
            middle_name="Văn",
            given_name="Nguyên",
            parsed_from="MAI VAN NGUYEN",
        ),
    )
    person = Person.objects.get()
    assert (person.family_name, person.middle_name, person.given_name) == ("Mai", "Văn", "Nguyên")


def test_parts_left_as_parsed_follow_a_changed_full_name(client_of, worker):
    # The preview parsed "Tran Thi Lan", then the user changed the name without correcting parts.
    client_of(worker).post(
        CREATE_URL,
        register_data(
            full_name="Lê Thị Mai",
            family_name="Tran",
            middle_name="Thi",
            given_name="Lan",
            parsed_from="Tran Thi Lan",
        ),
    )
    person = Person.objects.get()
    assert (person.family_name, person.middle_name, person.given_name) == ("Lê", "Thị", "Mai")


def test_field_errors_from_the_form_and_from_the_service(client_of, worker):
    client = client_of(worker)
    response = client.post(
        CREATE_URL, register_data(full_name="", birth_date_precision="day", birth_date="2010")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="error-full_name"' in body
    assert 'data-testid="error-birth_date"' in body
    assert "dd/mm/yyyy" in body
    future = (timezone.localdate() + datetime.timedelta(days=40)).strftime("%d/%m/%Y")
    response = client.post(
        CREATE_URL, register_data(birth_date_precision="day", birth_date=future, languages="v1")
    )
    body = response.content.decode()
    assert "The date of birth cannot be in the future." in body
    assert "Use ISO 639 language codes" in body
    assert 'value="v1"' in body  # what was typed is kept
    assert not Person.objects.exists()


def test_a_possible_duplicate_is_shown_before_saving_and_needs_confirmation(client_of, worker):
    existing = people.person(actor=worker, full_name="Nguyễn Thị Hoa", birth_date=D(2010, 6, 1))
    client = client_of(worker)
    first = client.post(CREATE_URL, register_data())
    assert first.status_code == 200
    body = first.content.decode()
    assert 'data-testid="duplicate-candidates"' in body
    assert detail_url(existing) in body
    assert "Nguyễn Thị Hoa" in body
    assert Person.objects.count() == 1
    # The parse is filled in, so it shows even without JavaScript.
    assert 'name="family_name" value="Nguyen"' in body
    key = re.search(r'name="seen_candidates" value="([0-9a-f]+)"', body).group(1)

    # Pressing the ordinary button again is not a confirmation.
    again = client.post(CREATE_URL, register_data(seen_candidates=key))
    assert 'data-testid="duplicate-candidates"' in again.content.decode()
    assert Person.objects.count() == 1

    confirmed = client.post(CREATE_URL, register_data(seen_candidates=key, register_anyway="1"))
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_a_confirmation_does_not_cover_matches_it_did_not_show(client_of, worker):
    people.person(actor=worker, full_name="Nguyễn Thị Hoa", birth_date=D(2010, 6, 1))
    client = client_of(worker)
    body = client.post(CREATE_URL, register_data()).content.decode()
    key = re.search(r'name="seen_candidates" value="([0-9a-f]+)"', body).group(1)
    people.person(actor=worker, full_name="Hoa Nguyễn", birth_date=D(2010, 2, 2))
    response = client.post(CREATE_URL, register_data(seen_candidates=key, register_anyway="1"))
    assert response.status_code == 200
    assert "The possible matches changed" in response.content.decode()
    assert Person.objects.count() == 2


def test_candidates_of_another_agency_are_not_shown(client_of, worker):
    people.person(
        owner_agency=AgencyFactory(province=province("79")),
        full_name="Nguyễn Thị Hoa",
        birth_date=D(2010, 1, 1),
    )
    response = client_of(worker).post(CREATE_URL, register_data())
    assert response.status_code == 302


def test_without_javascript_the_communes_can_be_listed_before_saving(client_of, worker):
    response = client_of(worker).post(CREATE_URL, register_data(refresh_communes="1"))
    body = response.content.decode()
    assert "Ba Đình" in body
    assert 'value="NGUYEN THI HOA"' in body
    assert not Person.objects.exists()


# --- detail -------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_person_and_is_audited(client_of, worker, hoa):
    services.alias_add(actor=worker, person=hoa, name="Hoa nhỏ")
    services.relationship_add(actor=worker, person=hoa, kind="sibling", related_name="Nguyễn Thị Lan")
    client = client_of(worker)
    before = AuditEvent.objects.count()
    body = client.get(detail_url(hoa)).content.decode()
    for text in ["Nguyễn Thị Hoa", "14/03/1995", HOA_CCCD, "Hoa nhỏ", "Nguyễn Thị Lan", "Zalo 0912 345 678"]:
        assert text in body
    assert 'data-testid="document-warning"' not in body
    events = AuditEvent.objects.order_by("sequence")[before:]
    assert [(e.action, e.object_type, e.object_id, e.actor) for e in events] == [
        (AuditAction.VIEW, "people.person", str(hoa.pk), worker)
    ]


def test_audit_rows_hold_no_names_or_contact_details(client_of, worker, hoa):
    client = client_of(worker)
    client.post(CREATE_URL, register_data(full_name="Đỗ Thị Nga", contact="Phone 0911 222 333"))
    client.get(detail_url(hoa))
    client.post(
        edit_url(hoa), {**register_data(full_name="Nguyễn Thị Hoa Mai", contact="Zalo 0900"), "version": 1}
    )
    text = people.audit_text()
    for secret in ["Nga", "0911", "Hoa", "Zalo", "0900", HOA_CCCD]:
        assert secret not in text


def test_another_agencys_worker_gets_404(client_of, hoa):
    stranger = member(Role.CASE_WORKER, agency=AgencyFactory(province=province("79")))
    response = client_of(stranger).get(detail_url(hoa))
    assert response.status_code == 404
    assert "Nguyễn" not in response.content.decode()


def test_a_cccd_that_contradicts_the_birth_year_shows_a_warning(client_of, worker, hoa):
    client = client_of(worker)
    url = reverse("people:document_add", args=[hoa.pk])
    response = client.post(url, {"kind": "cccd", "number": "001305012345", "issuing_country": "VN"})
    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    body = client.get(detail_url(hoa)).content.decode()
    assert 'data-testid="document-warning"' in body
    assert "another year of birth" in body
    assert "The document was added." in body


def test_adding_a_document_with_htmx_answers_the_section_only(client_of, worker, hoa):
    url = reverse("people:document_add", args=[hoa.pk])
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
    response = client_of(worker).post(
        url,
        {"kind": "passport", "number": "C1234567", "issuing_country": "VN"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="documents"')
    assert "C1234567" in body
    assert "The document was added." in body
    assert IdentityDocument.objects.filter(person=hoa, number="C1234567").exists()
    # Only the section the user just changed was sent: not a view of the person.
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before


def test_a_refused_document_shows_the_services_message_on_its_field(client_of, worker, hoa):
    url = reverse("people:document_add", args=[hoa.pk])
    response = client_of(worker).post(
        url, {"kind": "cccd", "number": HOA_CCCD, "issuing_country": "VN"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "This document is already recorded for this person." in body
    assert 'data-testid="error-number"' in body
    assert IdentityDocument.objects.filter(person=hoa).count() == 1


def test_adding_an_alias_makes_her_findable_by_it(client_of, worker, hoa):
    client = client_of(worker)
    response = client.post(
        reverse("people:alias_add", args=[hoa.pk]),
        {"name": "Mây", "kind": "nickname"},
        headers={"HX-Request": "true"},
    )
    assert "Mây" in response.content.decode()
    assert Alias.objects.filter(person=hoa, name="Mây").exists()
    assert listed_names(client.post(LIST_URL, {"q": "may"}, follow=True)) == ["Nguyễn Thị Hoa"]


def test_a_relationship_to_a_registered_person_is_chosen_from_a_search(client_of, worker, hoa):
    mother = people.person(actor=worker, full_name="Phạm Thị Thu", birth_date=D(1970, 1, 1))
    client = client_of(worker)
    options = client.get(
        reverse("people:related_person_options", args=[hoa.pk]), {"related_q": "pham thu"}
    ).content.decode()
    assert f'value="{mother.pk}"' in options
    assert f'value="{hoa.pk}"' not in options
    response = client.post(
        reverse("people:relationship_add", args=[hoa.pk]),
        {"kind": "parent", "related_person": str(mother.pk), "related_name": "", "notes": "lives in Lào Cai"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert detail_url(mother) in body
    relationship = Relationship.objects.get(person=hoa)
    assert relationship.related_person == mother


def test_a_relationship_to_someone_out_of_reach_is_refused_on_its_field(client_of, worker, hoa):
    stranger = people.person(
        owner_agency=AgencyFactory(province=province("79")), full_name="Bùi Văn Tài", sex="male"
    )
    response = client_of(worker).post(
        reverse("people:relationship_add", args=[hoa.pk]),
        {"kind": "parent", "related_person": str(stranger.pk)},
        headers={"HX-Request": "true"},
    )
    assert "Choose a person from the list." in response.content.decode()
    assert "Bùi" not in response.content.decode()
    assert not Relationship.objects.exists()


def test_a_relationship_needs_someone(client_of, worker, hoa):
    response = client_of(worker).post(reverse("people:relationship_add", args=[hoa.pk]), {"kind": "sibling"})
    assert response.status_code == 200
    assert "Choose a person from the registry or enter their name." in response.content.decode()


# --- edit and optimistic concurrency ------------------------------------------------------------


def edit_data(person, **overrides):
    data = register_data(
        full_name=person.full_name,
        family_name=person.family_name,
        middle_name=person.middle_name,
        given_name=person.given_name,
        parsed_from=person.full_name,
        birth_date_precision="day",
        birth_date=person.birth_date.strftime("%d/%m/%Y"),
        contact=person.contact,
        ethnicity="",
        languages="",
    )
    data["version"] = str(person.version)
    data.update(overrides)
    return data


def test_the_edit_form_shows_the_stored_values_and_the_version(client_of, worker, hoa):
    body = client_of(worker).get(edit_url(hoa)).content.decode()
    assert 'value="Nguyễn Thị Hoa"' in body
    assert 'value="14/03/1995"' in body
    assert 'name="version" value="1"' in body
    assert "Zalo 0912 345 678" in body


def test_an_edit_saves_and_redirects(client_of, worker, hoa):
    response = client_of(worker).post(edit_url(hoa), edit_data(hoa, disability="Hard of hearing"))
    assert response.status_code == 302
    hoa.refresh_from_db()
    assert hoa.disability == "Hard of hearing"
    assert hoa.version == 2


def test_two_editors_the_second_is_refused_and_keeps_what_she_typed(client, worker, agency, hoa):
    second = member(Role.CASE_WORKER, agency=agency, username="cw.second")
    client.force_login(worker)
    first_form = edit_data(hoa, disability="Uses a wheelchair")
    client.force_login(second)
    second_form = edit_data(hoa, disability="Needs a Hmong interpreter", contact="Brother: 0977 111 222")

    client.force_login(worker)
    assert client.post(edit_url(hoa), first_form).status_code == 302

    client.force_login(second)
    response = client.post(edit_url(hoa), second_form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else changed this record" in body
    assert "Needs a Hmong interpreter" in body
    assert "Brother: 0977 111 222" in body
    hoa.refresh_from_db()
    assert hoa.disability == "Uses a wheelchair"
    assert hoa.contact == "Zalo 0912 345 678"
    assert hoa.version == 2


def test_an_edit_without_a_version_is_refused(client_of, worker, hoa):
    data = edit_data(hoa, disability="x")
    del data["version"]
    response = client_of(worker).post(edit_url(hoa), data)
    assert "reload the page" in response.content.decode()
    hoa.refresh_from_db()
    assert hoa.disability == ""


def test_a_child_whose_name_is_hidden_cannot_be_edited_by_that_role(
    monkeypatch, client_of, agency, worker, child
):
    monkeypatch.setitem(
        ROLE_PERMISSIONS, Role.SERVICE_PROVIDER, frozenset({"people.view", "people.register"})
    )
    registrar = member(Role.SERVICE_PROVIDER, agency=agency)
    client = client_of(registrar)
    response = client.get(edit_url(child))
    assert response.status_code == 403
    assert "Vàng" not in response.content.decode()
    response = client.post(reverse("people:alias_add", args=[child.pk]), {"name": "Mỷ", "kind": "nickname"})
    assert response.status_code == 403
    assert not Alias.objects.exists()
