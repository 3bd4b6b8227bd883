"""Every people page and API endpoint through the four-actor permission matrix: anonymous, another
agency's case worker, a role without the permission, and the permitted case worker. Refusals
leak neither her name nor her document number and change nothing."""

import datetime

import pytest
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.people.models import Alias, IdentityDocument, Person, Relationship
from shield.people.tests import factories as people

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hoa"
NUMBER = "001195012345"
CONTACT = "Zalo 0912 345 678"
snapshot = db_snapshot(Person, IdentityDocument, Alias, Relationship)


@pytest.fixture
def agency():
    return AgencyFactory(code="home-agency", name_en="Home Agency", province=province("01"))


@pytest.fixture
def worker(agency):
    return member(Role.CASE_WORKER, agency=agency, username="cw.home")


@pytest.fixture
def hoa(worker):
    hoa = people.person(actor=worker, full_name=NAME, birth_date=datetime.date(1995, 3, 14), contact=CONTACT)
    people.document(of=hoa, number=NUMBER)
    return hoa


def actors_for(agency, worker, no_permission_role):
    elsewhere = AgencyFactory(code="far-agency", name_en="Far Agency", province=province("79"))
    return Actors(
        permitted=worker,
        no_permission=member(no_permission_role, agency=agency, username=f"{no_permission_role}.home"),
        other_agency=member(Role.CASE_WORKER, agency=elsewhere, username="cw.far"),
    )


@pytest.fixture
def readers(agency, worker):
    """people.view: a statistician has no business in the registry."""
    return actors_for(agency, worker, Role.STATISTICIAN)


@pytest.fixture(params=[Role.STATISTICIAN, Role.JUSTICE_OFFICER])
def writers(request, agency, worker):
    """people.register: neither a statistician nor a justice officer (who may look people up)."""
    return actors_for(agency, worker, request.param)


def register_form(**overrides):
    data = {
        "full_name": "Lò Thị Xuân",
        "sex": "female",
        "birth_date_precision": "year",
        "birth_date": "2009",
        "nationality": "VN",
        "home_province": "01",
    }
    data.update(overrides)
    return data


# --- pages --------------------------------------------------------------------------------------


def test_person_list_page(readers, hoa):
    url = reverse("people:person_list")
    statuses = assert_matrix(Endpoint("GET", url, scoped=True), readers, secrets=[NAME], snapshot=snapshot)
    assert statuses["no_permission"] == 403


def test_person_search_post(readers, hoa):
    """The search form posts and is redirected to its kept search (`?s=`): nothing of the person
    in the answer, and no name in where it points."""
    url = reverse("people:person_list")
    statuses = assert_matrix(
        Endpoint("POST", url, data={"q": "nguyen thi hoa"}, scoped=True, permitted_status={303}),
        readers,
        secrets=[NAME, "nguyen"],
        snapshot=snapshot,
    )
    assert statuses["no_permission"] == 403


def test_person_detail_page(readers, hoa):
    url = reverse("people:person_detail", args=[hoa.pk])
    statuses = assert_matrix(
        Endpoint("GET", url), readers, secrets=[NAME, NUMBER, CONTACT], snapshot=snapshot
    )
    assert statuses["other_agency"] == 404


# Registering is not scoped: another agency's case worker registers people for their own agency.


def test_person_create_page(writers, hoa):
    url = reverse("people:person_create")
    assert_matrix(Endpoint("GET", url, also_allowed={"other_agency"}), writers, snapshot=snapshot)


def test_person_create_post(writers, hoa):
    endpoint = Endpoint(
        "POST",
        reverse("people:person_create"),
        data=register_form(),
        permitted_status={302},
        also_allowed={"other_agency"},
    )
    assert_matrix(endpoint, writers, snapshot=snapshot)
    owners = Person.objects.filter(full_name="Lò Thị Xuân").values_list("owner_agency__code", flat=True)
    assert sorted(owners) == ["far-agency", "home-agency"]


def test_name_preview_and_commune_options(writers):
    for url, data in [
        (reverse("people:parse_name"), {"full_name": "NGUYEN THI HOA"}),
        (reverse("people:commune_options"), {"home_province": "01"}),
    ]:
        # Reference helpers of the register form: any agency's registrar may use them.
        assert_matrix(
            Endpoint("GET", url, data=data, also_allowed={"other_agency"}), writers, snapshot=snapshot
        )


def test_person_edit_page(writers, hoa):
    url = reverse("people:person_edit", args=[hoa.pk])
    statuses = assert_matrix(Endpoint("GET", url), writers, secrets=[NAME, CONTACT], snapshot=snapshot)
    assert statuses["other_agency"] == 404


def test_person_edit_post(writers, hoa):
    url = reverse("people:person_edit", args=[hoa.pk])
    data = register_form(
        full_name=NAME, birth_date_precision="day", birth_date="14/03/1995", contact="changed", version="1"
    )
    assert_matrix(
        Endpoint("POST", url, data=data, permitted_status={302}), writers, secrets=[NAME], snapshot=snapshot
    )
    hoa.refresh_from_db()
    assert hoa.contact == "changed"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("people:document_add", {"kind": "passport", "number": "C1234567", "issuing_country": "VN"}),
        ("people:alias_add", {"name": "Mây", "kind": "nickname"}),
        ("people:relationship_add", {"kind": "sibling", "related_name": "Nguyễn Thị Lan"}),
    ],
)
def test_detail_page_small_forms(writers, hoa, name, data):
    url = reverse(name, args=[hoa.pk])
    before = snapshot()
    statuses = assert_matrix(
        Endpoint("POST", url, data=data, permitted_status={302}),
        writers,
        secrets=[NAME, NUMBER],
        snapshot=snapshot,
    )
    assert statuses["other_agency"] == 404
    assert snapshot() != before  # the permitted case worker's addition was saved


def test_related_person_options(writers, worker, hoa):
    mother = people.person(actor=worker, full_name="Phạm Thị Thu", birth_date=datetime.date(1970, 1, 1))
    url = reverse("people:related_person_options", args=[hoa.pk])
    statuses = assert_matrix(
        Endpoint("GET", url, data={"related_q": "pham thu"}),
        writers,
        secrets=[str(mother.pk)],
        snapshot=snapshot,
    )
    assert statuses["other_agency"] == 404


# --- API ----------------------------------------------------------------------------------------


def test_api_list(readers, hoa):
    statuses = assert_matrix(
        Endpoint("GET", "/api/v1/persons/", data={"q": "nguyen thi hoa"}, api=True, scoped=True),
        readers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    assert statuses["anonymous"] == 401
    assert statuses["no_permission"] == 403


def test_api_search_by_document_number(readers, hoa):
    assert_matrix(
        Endpoint("GET", "/api/v1/persons/", data={"q": NUMBER}, api=True, scoped=True),
        readers,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_api_create(writers):
    endpoint = Endpoint(
        "POST",
        "/api/v1/persons/",
        data={"full_name": "Lò Thị Xuân", "sex": "female", "birth_date": "2009-01-01"},
        api=True,
        permitted_status={201},
        also_allowed={"other_agency"},
    )
    assert_matrix(endpoint, writers, snapshot=snapshot)
    owners = Person.objects.filter(full_name="Lò Thị Xuân").values_list("owner_agency__code", flat=True)
    assert sorted(owners) == ["far-agency", "home-agency"]


def test_api_retrieve(readers, hoa):
    statuses = assert_matrix(
        Endpoint("GET", f"/api/v1/persons/{hoa.pk}/", api=True),
        readers,
        secrets=[NAME, CONTACT],
        snapshot=snapshot,
    )
    assert statuses["other_agency"] == 404


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_api_update(writers, hoa, method):
    data = {
        "full_name": NAME,
        "sex": "female",
        "birth_date": "1995-03-14",
        "disability": "changed",
        "version": 1,
    }
    statuses = assert_matrix(
        Endpoint(method, f"/api/v1/persons/{hoa.pk}/", data=data, api=True),
        writers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    assert statuses["other_agency"] == 404
    hoa.refresh_from_db()
    assert hoa.disability == "changed"


@pytest.mark.parametrize(
    ("part", "secret"), [("documents", NUMBER), ("aliases", "Hoa nhỏ"), ("relationships", "Nguyễn Thị Lan")]
)
def test_api_nested_lists(readers, worker, hoa, part, secret):
    from shield.people import services

    services.alias_add(actor=worker, person=hoa, name="Hoa nhỏ")
    services.relationship_add(actor=worker, person=hoa, kind="sibling", related_name="Nguyễn Thị Lan")
    statuses = assert_matrix(
        Endpoint("GET", f"/api/v1/persons/{hoa.pk}/{part}/", api=True),
        readers,
        secrets=[secret],
        snapshot=snapshot,
    )
    assert statuses["other_agency"] == 404


@pytest.mark.parametrize(
    ("part", "data"),
    [
        ("documents", {"kind": "passport", "number": "C1234567"}),
        ("aliases", {"name": "Mây"}),
        ("relationships", {"kind": "sibling", "related_name": "Nguyễn Thị Lan"}),
    ],
)
def test_api_nested_adds(writers, hoa, part, data):
    before = snapshot()
    statuses = assert_matrix(
        Endpoint("POST", f"/api/v1/persons/{hoa.pk}/{part}/", data=data, api=True, permitted_status={201}),
        writers,
        secrets=[NAME, NUMBER],
        snapshot=snapshot,
    )
    assert statuses["other_agency"] == 404
    assert snapshot() != before


@pytest.mark.parametrize("api", [False, True])
def test_document_fix(writers, hoa, api):
    document = IdentityDocument.objects.get(person=hoa)
    data = {"action": "entered_in_error", "reason": "Her sister's card", "version": 1}
    if api:
        url = f"/api/v1/persons/{hoa.pk}/documents/{document.pk}/fix/"
        endpoint = Endpoint("POST", url, data=data, api=True, permitted_status={200})
    else:
        url = reverse("people:document_fix", args=[hoa.pk, document.pk])
        endpoint = Endpoint("POST", url, data=data, permitted_status={302})
    statuses = assert_matrix(endpoint, writers, secrets=[NAME, NUMBER], snapshot=snapshot)
    assert statuses["other_agency"] == 404
    document.refresh_from_db()
    assert document.status == "entered_in_error"
