"""A name typed with words of address and nicknames (`Chị Nguyễn Thị Hoa (Hoa Đen)`): the registry
keeps what was typed, reads the name without them, and records each nickname as another name."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.audit.models import AuditEvent
from shield.people import candidates, selectors, services
from shield.people.models import Alias, AliasKind, PersonNameToken

pytestmark = pytest.mark.django_db

D = datetime.date
TYPED = "Chị Nguyễn Thị Hoa (Hoa Đen)"


@pytest.fixture
def worker():
    return member(Role.CASE_WORKER, agency=AgencyFactory(province=province("01")))


def register(worker, full_name, **fields):
    fields.setdefault("sex", "female")
    return services.person_register(
        actor=worker, owner_agency=worker.primary_agency, full_name=full_name, **fields
    )


def found(worker, q):
    return set(selectors.person_list_for(user=worker, q=q))


def aliases(person):
    return list(Alias.objects.filter(person=person).values_list("name", "kind"))


def test_registering_keeps_what_was_typed_and_records_the_nickname(worker):
    hoa = register(worker, TYPED, birth_date=D(1995, 3, 14))
    hoa.refresh_from_db()
    assert hoa.full_name == TYPED
    assert (hoa.family_name, hoa.middle_name, hoa.given_name) == ("Nguyễn", "Thị", "Hoa")
    assert hoa.name_folded == "nguyen thi hoa"
    assert aliases(hoa) == [("Hoa Đen", AliasKind.NICKNAME)]
    alias = Alias.objects.get(person=hoa)
    assert AuditEvent.objects.filter(object_id=str(alias.pk), action="create").exists()
    # Found by the name and by the nickname; `Chị` is no word of her name.
    assert hoa in found(worker, "Nguyễn Thị Hoa")
    assert hoa in found(worker, "nguyen hoa 1995")
    assert hoa in found(worker, "Hoa Đen")
    assert not found(worker, "Chị")
    assert not PersonNameToken.objects.filter(person=hoa, token__in=["chi", "chi hoa", "chi nguyen"]).exists()


def test_the_same_person_typed_plainly_is_a_candidate_both_ways(worker):
    plain = register(worker, "Nguyễn Thị Hoa", birth_date=D(1995, 1, 1), birth_date_precision="year")
    typed = register(worker, TYPED, birth_date=D(1995, 6, 1), birth_date_precision="year")
    found_for_typed = candidates.candidates_for_person(user=worker, person=typed)
    assert [c.person for c in found_for_typed] == [plain]
    assert {e.field for e in found_for_typed[0].evidence} >= {"name", "birth"}
    assert [c.person for c in candidates.candidates_for_person(user=worker, person=plain)] == [typed]
    # And while the registration form is being filled in, before anything is saved.
    probe = candidates.probe_for_values({"full_name": "Bà Nguyễn Thị Hoa tức Hoa Đen"}, birth_year=1995)
    assert {c.person for c in candidates.candidates_for(user=worker, probe=probe)} == {plain, typed}


def test_renaming_adds_only_the_new_nicknames_once(worker):
    hoa = register(worker, TYPED)
    hoa = services.person_update(
        actor=worker,
        person=hoa,
        expected_version=hoa.version,
        full_name="Chị Nguyễn Thị Hoa (hoa den) tức Hoa Béo",
    )
    assert aliases(hoa) == [("Hoa Đen", AliasKind.NICKNAME), ("Hoa Béo", AliasKind.NICKNAME)]
    assert hoa.full_name == "Chị Nguyễn Thị Hoa (hoa den) tức Hoa Béo"
    # Saving again, or saving other fields, adds nothing.
    hoa = services.person_update(
        actor=worker, person=hoa, expected_version=hoa.version, full_name=TYPED, contact="0912"
    )
    hoa = services.person_update(actor=worker, person=hoa, expected_version=hoa.version, contact="0913")
    assert len(aliases(hoa)) == 2
    assert hoa in found(worker, "Hoa Béo")


def test_a_nickname_already_recorded_by_hand_is_not_added_again(worker):
    hoa = register(worker, "Nguyễn Thị Hoa")
    services.alias_add(actor=worker, person=hoa, name="Hoa Đen", kind=AliasKind.SPELLING)
    services.person_update(actor=worker, person=hoa, expected_version=hoa.version, full_name=TYPED)
    assert aliases(hoa) == [("Hoa Đen", AliasKind.SPELLING)]


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("Chu Văn An", ("Chu", "Văn", "An")),  # the family name Chu, not Chú
        ("Chú Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Anh Tuấn", ("Anh", "", "Tuấn")),  # no whole name after Anh: kept as typed before
    ],
)
def test_a_word_of_address_is_told_from_a_name(worker, typed, parts):
    p = register(worker, typed, sex="male")
    assert (p.family_name, p.middle_name, p.given_name) == parts
    assert p.full_name == typed
    assert not Alias.objects.filter(person=p).exists()


def test_the_api_registers_the_same_way(worker):
    api = APIClient()
    api.force_authenticate(worker)
    response = api.post(
        "/api/v1/persons/", {"full_name": "Mr Tran Van Nam aka Nam Beo", "sex": "male"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["full_name"] == "Mr Tran Van Nam aka Nam Beo"
    assert (body["family_name"], body["middle_name"], body["given_name"]) == ("Tran", "Van", "Nam")
    assert [a["name"] for a in api.get(f"/api/v1/persons/{body['id']}/aliases/").json()] == ["Nam Beo"]


def test_the_form_shows_what_is_left_out_of_the_name_and_kept_as_other_names(worker, client):
    client.force_login(worker)
    response = client.get(
        reverse("people:parse_name"),
        {"full_name": "Chị Nguyễn Thị Hoa (Hoa Đen) tức Hoa Béo"},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    body = response.content.decode()
    assert 'name="family_name" value="Nguyễn"' in body
    assert 'name="given_name" value="Hoa"' in body
    assert "Not part of the name: <strong>Chị</strong>" in body
    assert "Will be recorded as other names: <strong>Hoa Đen, Hoa Béo</strong>" in body
    plain = client.get(reverse("people:parse_name"), {"full_name": "Chu Văn An"}).content.decode()
    assert 'data-testid="parse-honorific"' not in plain
    assert 'data-testid="parse-aliases"' not in plain
