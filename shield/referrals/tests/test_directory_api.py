"""The directory's REST API: the permission matrix, If-Match (412/428), hidden addresses."""

import pytest
from django.test import Client

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditAction, AuditEvent
from shield.referrals.models import Provider, Service, ServiceArea
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
API = "/api/v1/referrals"


@pytest.fixture
def world():
    home, far = agency_in("home"), agency_in("far", "79")
    p = provider(home, name="Trung tâm Bình An")
    s = service(p, name="Tư vấn tâm lý Bình An")
    bed = shelter(p)
    readers = Actors(
        permitted=member(Role.CASE_WORKER, agency=home, username="cw.home"),
        no_permission=member(Role.STATISTICIAN, agency=home, username="stats.home"),
        other_agency=member(Role.CASE_WORKER, agency=far, username="cw.far"),
    )
    keepers = Actors(
        permitted=member(Role.AGENCY_ADMIN, agency=home, username="admin.home"),
        no_permission=readers.permitted,
        other_agency=member(Role.AGENCY_ADMIN, agency=far, username="admin.far"),
    )
    counters = Actors(
        permitted=staff(home, "sp.home"), no_permission=readers.permitted, other_agency=staff(far, "sp.far")
    )
    return {
        "provider": p,
        "service": s,
        "shelter": bed,
        "readers": readers,
        "keepers": keepers,
        "counters": counters,
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_reads(world):
    s, p = world["service"], world["provider"]
    for url in (
        f"{API}/services/",
        f"{API}/services/{s.pk}/",
        f"{API}/providers/",
        f"{API}/providers/{p.pk}/",
    ):
        assert_matrix(
            Endpoint("GET", url, api=True, also_allowed={"other_agency"}),
            world["readers"],
            secrets=[p.name],
            snapshot=snapshot,
        )


def test_list_filters_and_folded_search(world):
    client = client_for(world["readers"].permitted)
    found = client.get(f"{API}/services/", {"q": "binh an tu van"}).json()["results"]
    assert [r["name"] for r in found] == [world["service"].name]
    beds = client.get(f"{API}/services/", {"service_type": "shelter", "has_capacity": "true"}).json()[
        "results"
    ]
    assert [r["name"] for r in beds] == [world["shelter"].name]
    assert client.get(f"{API}/services/", {"province": "99"}).status_code == 400


def test_hidden_address_is_null_in_lists_and_for_other_agencies(world):
    bed = world["shelter"]
    other = client_for(world["readers"].other_agency)
    listed = other.get(f"{API}/services/").json()["results"]
    assert all(r["address"] is None for r in listed if r["id"] == str(bed.pk))
    detail = other.get(f"{API}/services/{bed.pk}/")
    assert detail.json()["address"] is None
    assert SHELTER_ADDRESS not in detail.content.decode()
    own = client_for(world["counters"].permitted)
    assert own.get(f"{API}/services/{bed.pk}/").json()["address"] == SHELTER_ADDRESS
    assert SHELTER_ADDRESS not in own.get(f"{API}/services/").content.decode()


def test_service_update_matrix_and_if_match(world):
    s = world["service"]
    url = f"{API}/services/{s.pk}/"
    assert_matrix(
        Endpoint("PATCH", url, data={"name": "Tên mới", "version": s.version}, api=True),
        world["keepers"],
        snapshot=snapshot,
    )
    client = client_for(world["keepers"].permitted)
    current = client.get(url)
    etag = current["ETag"]
    missing = client.patch(url, {"name": "Không phiên bản"}, content_type="application/json")
    assert missing.status_code == 428
    stale = client.patch(url, {"name": "Cũ"}, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    ok = client.patch(url, {"name": "Đúng"}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok["ETag"] != etag
    assert Service.objects.get(pk=s.pk).name == "Đúng"


def test_service_create_and_provider_routes(world):
    p = world["provider"]
    assert_matrix(
        Endpoint(
            "POST",
            f"{API}/services/",
            data={
                "provider": str(p.pk),
                "name": "Dịch vụ mới",
                "service_type": "legal_aid",
                "province": "01",
            },
            api=True,
            permitted_status={201},
        ),
        world["keepers"],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "PATCH", f"{API}/providers/{p.pk}/", data={"phone": "024 1234", "version": p.version}, api=True
        ),
        world["keepers"],
        snapshot=snapshot,
    )
    third = agency_in("third")
    creator = Actors(
        permitted=member(Role.AGENCY_ADMIN, agency=third, username="admin.third"),
        no_permission=world["readers"].permitted,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"{API}/providers/",
            data={"name": "Trung tâm Ba", "province": "01", "agency": third.code},
            api=True,
            permitted_status={201},
        ),
        creator,
        snapshot=snapshot,
    )


def test_capacity_and_status_routes(world):
    bed, s = world["shelter"], world["service"]
    assert_matrix(
        Endpoint(
            "PUT",
            f"{API}/services/{bed.pk}/capacity/",
            data={"available": 2, "version": bed.version},
            api=True,
        ),
        world["counters"],
        snapshot=snapshot,
    )
    assert Service.objects.get(pk=bed.pk).capacity_available == 2
    assert_matrix(
        Endpoint(
            "POST",
            f"{API}/services/{s.pk}/status/",
            data={"status": "temporarily_closed", "reason": "Sửa nhà", "version": s.version},
            api=True,
        ),
        world["keepers"],
        snapshot=snapshot,
    )


def test_detail_read_is_audited(world):
    s = world["service"]
    client_for(world["readers"].permitted).get(f"{API}/services/{s.pk}/")
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(s.pk)).exists()


def test_max_length_is_a_field_error(world):
    s = world["service"]
    client = client_for(world["keepers"].permitted)
    response = client.patch(
        f"{API}/services/{s.pk}/", {"name": "x" * 201, "version": s.version}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "name" in response.json()
