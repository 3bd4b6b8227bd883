"""Every shelter page and API endpoint through the four-actor permission matrix."""

import datetime

import pytest
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.referrals.models import BedHold, BedInventory, Referral, ReferralStatus, Service, ShelterStay
from shield.referrals.shelters import services
from shield.referrals.tests import care_factories as f

pytestmark = pytest.mark.django_db
NAME = "Nguyễn Thị Hoa"
snapshot = db_snapshot(ShelterStay, BedHold, BedInventory, Referral)


@pytest.fixture
def world():
    w = f.world(beds={"women": 3})
    far = f.world(province_code="79")
    stay = services.shelter_admit(
        actor=w.staff, referral=f.referral(w.case, service=w.shelter), category="women"
    )
    carers = Actors(
        permitted=w.staff,
        no_permission=member(Role.STATISTICIAN, agency=w.shelter_agency),
        other_agency=far.staff,
    )
    return w, far, stay, carers


def test_vacancy_board_is_for_every_referral_role(world):
    w, _far, _stay, carers = world
    for url in ("/referrals/shelters/", "/api/v1/referrals/vacancies/", "/api/v1/referrals/shelters/"):
        statuses = assert_matrix(
            Endpoint("GET", url, api=url.startswith("/api/"), also_allowed={"other_agency"}),
            carers,
            secrets=[w.shelter.name],
            snapshot=snapshot,
        )
        assert statuses["other_agency"] == 200


def test_shelter_page_shows_residents_only_to_those_who_may_see_them(world):
    w, _far, stay, carers = world
    for url in (f"/referrals/shelters/{w.shelter.pk}/", f"/api/v1/referrals/shelters/{w.shelter.pk}/stays/"):
        assert_matrix(
            Endpoint("GET", url, api=url.startswith("/api/"), scoped=True),
            carers,
            secrets=[NAME],
            snapshot=snapshot,
        )
    assert_matrix(
        Endpoint("GET", f"/api/v1/referrals/shelters/stays/{stay.pk}/", api=True),
        carers,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_shelter_detail_api(world):
    w, _far, _stay, carers = world
    assert_matrix(
        Endpoint(
            "GET", f"/api/v1/referrals/shelters/{w.shelter.pk}/", api=True, also_allowed={"other_agency"}
        ),
        carers,
        secrets=["utilisation"],
        snapshot=snapshot,
    )


def test_admission(world):
    w, _far, _stay, carers = world
    referral = f.referral(f.another_case(w), service=w.shelter)
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/shelters/{w.shelter.pk}/admit/",
            data={
                "referral": str(referral.pk),
                "category": "women",
                "admitted_on": timezone.localdate().strftime("%d/%m/%Y"),
            },
            permitted_status={302},
        ),
        carers,
        snapshot=snapshot,
    )
    referral = f.referral(f.another_case(w), service=w.shelter)
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/referrals/shelters/{w.shelter.pk}/admit/",
            data={"referral": str(referral.pk), "category": "women"},
            api=True,
            permitted_status={201},
        ),
        carers,
        snapshot=snapshot,
    )
    assert ShelterStay.objects.filter(service=w.shelter, discharged_on__isnull=True).count() == 3


def test_discharge(world):
    _w, _far, stay, carers = world
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/shelters/stays/{stay.pk}/discharge/",
            data={
                "version": stay.version,
                "discharged_on": timezone.localdate().strftime("%d/%m/%Y"),
                "destination": "family",
                "reason": "Reunited",
            },
            permitted_status={302},
        ),
        carers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    stay.refresh_from_db()
    assert stay.discharged_on == timezone.localdate()


def test_discharge_api_needs_the_version(world):
    w, _far, stay, carers = world
    from django.test import Client

    client = Client()
    client.force_login(w.staff)
    url = f"/api/v1/referrals/shelters/stays/{stay.pk}/discharge/"
    body = {
        "discharged_on": timezone.localdate().isoformat(),
        "discharge_destination": "family",
        "reason": "Home",
    }
    assert client.post(url, body, content_type="application/json").status_code == 428
    stale = client.post(url, body, content_type="application/json", headers={"If-Match": '"9"'})
    assert stale.status_code == 412
    assert_matrix(
        Endpoint("POST", url, data={**body, "version": stay.version}, api=True), carers, snapshot=snapshot
    )
    stay.refresh_from_db()
    assert stay.discharged_on is not None


def test_inventory(world):
    w, _far, _stay, carers = world
    day = timezone.localdate()
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/shelters/{w.shelter.pk}/beds/",
            data={
                "effective_from": day.strftime("%d/%m/%Y"),
                "girls": 1,
                "boys": 0,
                "women": 5,
                "men": 0,
                "families": 0,
            },
            permitted_status={302},
        ),
        carers,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/referrals/shelters/{w.shelter.pk}/inventory/",
            data={"effective_from": (day - datetime.timedelta(days=1)).isoformat(), "women": 4},
            api=True,
            permitted_status={201},
        ),
        carers,
        snapshot=snapshot,
    )
    w.shelter.refresh_from_db()
    assert w.shelter.capacity_maximum == 6


def test_holds(world):
    w, _far, _stay, _carers = world
    holders = Actors(
        permitted=w.worker,
        no_permission=member(Role.STATISTICIAN, agency=w.home),
        other_agency=f.world(province_code="79").worker,
    )
    referral = f.referral(f.another_case(w), service=w.shelter, status=ReferralStatus.SENT)
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/shelters/{w.shelter.pk}/hold/",
            data={"referral": str(referral.pk), "category": "women", "days": 2},
            permitted_status={302},
        ),
        holders,
        snapshot=snapshot,
    )
    hold = BedHold.objects.get(referral=referral)
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/shelters/holds/{hold.pk}/release/",
            data={"version": hold.version, "reason": "x"},
            permitted_status={302},
        ),
        holders,
        snapshot=snapshot,
    )
    until = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/referrals/shelters/{w.shelter.pk}/holds/",
            data={"referral": str(referral.pk), "category": "women", "held_until": until},
            api=True,
            permitted_status={201},
        ),
        holders,
        snapshot=snapshot,
    )
    hold = BedHold.objects.get(referral=referral, status="active")
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/referrals/shelters/holds/{hold.pk}/release/",
            data={"version": hold.version},
            api=True,
        ),
        holders,
        snapshot=snapshot,
    )


def test_the_vacancy_board_query_count_does_not_grow_with_stays(client, django_assert_max_num_queries):
    w = f.world(beds={"women": 40, "girls": 10})
    for index in range(6):
        other = f.shelter(f.provider(name=f"P{index}"), beds={"men": 5})
        f.stay(other, case=w.case, category="men", admitted_on=timezone.localdate())
    for _ in range(25):
        f.stay(w.shelter, case=w.case, admitted_on=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(w.worker)
    client.get("/referrals/shelters/")  # the session is saved on the first request
    with django_assert_max_num_queries(12):
        response = client.get("/referrals/shelters/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="vacancy-row"') == 8
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shield.referrals.shelters import selectors

    with CaptureQueriesContext(connection) as queries:
        board = selectors.vacancy_board_for(user=w.worker)
    assert len(queries) <= 6
    mine = next(r for r in board if r.service == w.shelter)
    assert {c.category: c.free for c in mine.categories} == {"women": 15, "girls": 10}


def test_reading_a_shelter_and_a_stay_is_audited(world):
    from django.test import Client

    from shield.audit.models import AuditEvent

    w, _far, stay, _carers = world
    client = Client()
    client.force_login(w.staff)
    client.get(f"/referrals/shelters/{w.shelter.pk}/")
    client.get(f"/api/v1/referrals/shelters/stays/{stay.pk}/")
    assert AuditEvent.objects.filter(action="view", object_id=str(w.shelter.pk)).exists()
    assert AuditEvent.objects.filter(action="view", object_id=str(stay.pk)).exists()
    assert Service.objects.get(pk=w.shelter.pk).capacity_available == 2
