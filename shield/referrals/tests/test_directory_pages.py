"""The directory's pages: the permission matrix, redaction, the list's query count, the forms."""

import pytest
from django.test import Client

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditAction, AuditEvent
from shield.referrals.models import Provider, Service, ServiceArea, ServiceStatus
from shield.referrals.tests.directory_factories import (
    SHELTER_ADDRESS,
    agency_in,
    provider,
    service,
    shelter,
    staff,
)

pytestmark = pytest.mark.django_db

snapshot = db_snapshot(Provider, Service, ServiceArea)


@pytest.fixture
def world():
    home, far = agency_in("home"), agency_in("far", "79")
    p = provider(home, name="Trung tâm Bình An")
    s = service(p, name="Tư vấn tâm lý Bình An")
    bed = shelter(p)
    readers = Actors(
        permitted=member(Role.CASE_WORKER, agency=home, username="cw.home"),
        no_permission=member(Role.AUDITOR, agency=home, username="aud.home"),
        other_agency=member(Role.CASE_WORKER, agency=far, username="cw.far"),
    )
    keepers = Actors(
        permitted=member(Role.AGENCY_ADMIN, agency=home, username="admin.home"),
        no_permission=readers.permitted,
        other_agency=member(Role.AGENCY_ADMIN, agency=far, username="admin.far"),
    )
    counters = Actors(
        permitted=staff(home, "sp.home"),
        no_permission=readers.permitted,
        other_agency=staff(far, "sp.far"),
    )
    return {
        "provider": p,
        "service": s,
        "shelter": bed,
        "readers": readers,
        "keepers": keepers,
        "counters": counters,
    }


def test_read_pages_for_every_directory_reader(world):
    s, p = world["service"], world["provider"]
    for url in (
        "/referrals/directory/",
        f"/referrals/directory/services/{s.pk}/",
        f"/referrals/directory/providers/{p.pk}/",
    ):
        assert_matrix(
            Endpoint("GET", url, also_allowed={"other_agency"}),
            world["readers"],
            secrets=[s.name],
            snapshot=snapshot,
        )


def test_shelter_address_hidden_from_a_case_worker_of_another_agency(world):
    bed = world["shelter"]
    url = f"/referrals/directory/services/{bed.pk}/"
    client = Client()
    client.force_login(world["readers"].other_agency)
    body = client.get(url).content.decode()
    assert SHELTER_ADDRESS not in body
    assert 'data-testid="address-hidden"' in body
    for who in (world["counters"].permitted, world["keepers"].permitted):
        client.force_login(who)
        assert SHELTER_ADDRESS in client.get(url).content.decode()
    supervisor = member(Role.SUPERVISOR, agency=agency_in("third", "79"), username="sup.third")
    client.force_login(supervisor)
    assert SHELTER_ADDRESS in client.get(url).content.decode()


def test_the_list_never_shows_a_shelter_address(world):
    client = Client()
    client.force_login(world["keepers"].permitted)
    body = client.get("/referrals/directory/", {"q": "binh yen"}).content.decode()
    assert world["shelter"].name in body
    assert SHELTER_ADDRESS not in body


def test_edit_pages_for_the_agencys_keeper_only(world):
    s, p = world["service"], world["provider"]
    assert_matrix(
        Endpoint("GET", f"/referrals/directory/services/{s.pk}/edit/"), world["keepers"], snapshot=snapshot
    )
    assert_matrix(
        Endpoint("GET", f"/referrals/directory/providers/{p.pk}/edit/"), world["keepers"], snapshot=snapshot
    )
    assert_matrix(
        Endpoint("GET", f"/referrals/directory/providers/{p.pk}/services/new/"),
        world["keepers"],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/directory/services/{s.pk}/edit/",
            data={
                "name": "Tên mới",
                "service_type": "legal_aid",
                "province": str(p.province_id),
                "victim_status": "any",
                "version": s.version,
            },
            permitted_status={302},
        ),
        world["keepers"],
        snapshot=snapshot,
    )
    assert Service.objects.get(pk=s.pk).name == "Tên mới"


def test_provider_create_page(world):
    new = agency_in("third")
    keeper = member(Role.AGENCY_ADMIN, agency=new, username="admin.third")
    actors = Actors(permitted=keeper, no_permission=world["readers"].permitted)
    assert_matrix(
        Endpoint(
            "POST",
            "/referrals/directory/providers/new/",
            data={"name": "Trung tâm Mới", "province": str(new.province_id), "agency": str(new.pk)},
            permitted_status={302},
        ),
        actors,
        snapshot=snapshot,
    )
    assert Provider.objects.filter(agency=new, name="Trung tâm Mới").exists()


def test_capacity_page_for_the_providers_staff(world):
    bed = world["shelter"]
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/directory/services/{bed.pk}/capacity/",
            data={"capacity_available": 7, "capacity_maximum": 20, "version": bed.version},
            permitted_status={302},
        ),
        world["counters"],
        snapshot=snapshot,
    )
    assert Service.objects.get(pk=bed.pk).capacity_available == 7


def test_closing_asks_for_confirmation_then_closes(world):
    s = world["service"]
    url = f"/referrals/directory/services/{s.pk}/status/"
    assert_matrix(Endpoint("GET", f"{url}?status=closed"), world["keepers"], snapshot=snapshot)
    client = Client()
    client.force_login(world["keepers"].permitted)
    page = client.get(url, {"status": "closed"}).content.decode()
    assert 'data-testid="confirm-close"' in page
    assert Service.objects.get(pk=s.pk).status == ServiceStatus.ACTIVE
    done = client.post(url, {"status": "closed", "reason": "Hết kinh phí", "version": s.version})
    assert done.status_code == 302
    assert Service.objects.get(pk=s.pk).status == ServiceStatus.CLOSED


def test_a_stale_edit_keeps_the_input_and_says_why(world):
    s = world["service"]
    client = Client()
    client.force_login(world["keepers"].permitted)
    Service.objects.filter(pk=s.pk).update(version=s.version + 1)
    response = client.post(
        f"/referrals/directory/services/{s.pk}/edit/",
        {
            "name": "Bản của tôi",
            "service_type": "legal_aid",
            "province": str(s.province_id),
            "victim_status": "any",
            "version": s.version,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bản của tôi" in body
    assert 'data-testid="form-errors"' in body
    assert Service.objects.get(pk=s.pk).name == s.name


def test_search_page_filters_and_audits_without_the_words(world):
    client = Client()
    client.force_login(world["readers"].permitted)
    body = client.get("/referrals/directory/", {"q": "an binh tam ly"}).content.decode()
    assert world["service"].name in body
    assert world["shelter"].name not in body
    empty = client.get("/referrals/directory/", {"q": "khong co gi"}).content.decode()
    assert 'data-testid="no-services"' in empty
    event = AuditEvent.objects.filter(action=AuditAction.LIST).latest("id")
    assert "khong" not in str(event.details)


def test_directory_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    p = world["provider"]
    client = Client()
    client.force_login(world["readers"].permitted)
    client.get("/referrals/directory/")
    with django_assert_max_num_queries(12):
        client.get("/referrals/directory/")
    for i in range(25):
        service(p, name=f"Dịch vụ {i:02d}", capacity_available=i % 3)
    with django_assert_max_num_queries(12):
        response = client.get("/referrals/directory/")
    assert response.content.decode().count('data-testid="service-row"') == 20
