"""Every support page and API endpoint through the four-actor permission matrix, and the case panel."""

import pytest
from django.test import Client
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.referrals.models import ReferralStatus, SupportDelivery
from shield.referrals.support import services
from shield.referrals.tests import care_factories as f

pytestmark = pytest.mark.django_db
NAME = "Nguyễn Thị Hoa"
snapshot = db_snapshot(SupportDelivery)


@pytest.fixture
def world():
    w = f.world()
    far = f.world(province_code="79")
    referral = f.referral(w.case, service=w.shelter, status=ReferralStatus.IN_SERVICE)
    delivery = services.support_delivery_record(
        actor=w.staff,
        referral=referral,
        support_type="hardship_allowance",
        delivered_on=timezone.localdate(),
        amount_vnd=1_500_000,
    )
    actors = Actors(
        permitted=w.staff,
        no_permission=member(Role.STATISTICIAN, agency=w.shelter_agency),
        other_agency=far.staff,
    )
    return w, referral, delivery, actors


def test_delivery_list_and_detail(world):
    _w, _referral, delivery, actors = world
    for url in ("/referrals/support/", "/api/v1/referrals/deliveries/"):
        assert_matrix(
            Endpoint("GET", url, api=url.startswith("/api/"), scoped=True),
            actors,
            secrets=[NAME],
            snapshot=snapshot,
        )
    for url in (f"/referrals/support/{delivery.pk}/", f"/api/v1/referrals/deliveries/{delivery.pk}/"):
        assert_matrix(
            Endpoint("GET", url, api=url.startswith("/api/")), actors, secrets=[NAME], snapshot=snapshot
        )
    assert AuditEvent.objects.filter(action="view", object_id=str(delivery.pk)).count() == 2


def test_recording_support(world):
    _w, referral, _delivery, actors = world
    day = timezone.localdate()
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/support/new/?referral={referral.pk}",
            data={
                "support_type": "psychological_support",
                "delivered_on": day.strftime("%d/%m/%Y"),
                "quantity": "2",
            },
            permitted_status={302},
        ),
        actors,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            "/api/v1/referrals/deliveries/",
            data={"referral": str(referral.pk), "support_type": "legal_aid", "delivered_on": day.isoformat()},
            api=True,
            permitted_status={201},
        ),
        actors,
        snapshot=snapshot,
    )
    assert SupportDelivery.objects.count() == 3


def test_a_deviation_without_a_reason_stays_in_the_form(world):
    w, referral, _delivery, _actors = world
    client = Client()
    client.force_login(w.staff)
    response = client.post(
        f"/referrals/support/new/?referral={referral.pk}",
        {
            "support_type": "hardship_allowance",
            "delivered_on": timezone.localdate().strftime("%d/%m/%Y"),
            "quantity": "1",
            "amount_vnd": "700000",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-deviation_reason"' in body
    assert 'value="700000"' in body
    assert SupportDelivery.objects.count() == 1


def test_voiding(world):
    _w, _referral, delivery, actors = world
    assert_matrix(
        Endpoint(
            "POST",
            f"/referrals/support/{delivery.pk}/void/",
            data={"version": delivery.version, "reason": "Recorded twice"},
            permitted_status={302},
        ),
        actors,
        snapshot=snapshot,
    )
    delivery.refresh_from_db()
    assert delivery.voided_at is not None


def test_voiding_through_the_api_needs_the_version(world):
    w, _referral, delivery, actors = world
    client = Client()
    client.force_login(w.staff)
    url = f"/api/v1/referrals/deliveries/{delivery.pk}/void/"
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 428
    assert (
        client.post(
            url, {"reason": "x"}, content_type="application/json", headers={"If-Match": '"7"'}
        ).status_code
        == 412
    )
    assert_matrix(
        Endpoint("POST", url, data={"reason": "Twice", "version": delivery.version}, api=True),
        actors,
        snapshot=snapshot,
    )
    delivery.refresh_from_db()
    assert delivery.voided_at is not None


def test_the_case_page_shows_support_history_and_totals(world):
    w, referral, _delivery, _actors = world
    services.support_delivery_record(
        actor=w.staff,
        referral=referral,
        support_type="hardship_allowance",
        delivered_on=timezone.localdate(),
        amount_vnd=500_000,
        deviation_reason="Top-up",
    )
    client = Client()
    client.force_login(w.worker)
    body = client.get(f"/cases/{w.case.pk}/").content.decode()
    assert 'data-testid="case-panel-referrals_support"' in body
    assert "2.000.000 VND" in body or "2000000 VND" in body or "2,000,000 VND" in body


def test_the_regimes_api_marks_unverified_figures(world):
    w, *_ = world
    client = Client()
    client.force_login(w.worker)
    data = client.get("/api/v1/referrals/support-regimes/?on=2025-07-01").json()
    hardship = next(r for r in data if r["support_type"] == "hardship_allowance")
    assert hardship["amount_vnd"] == 1_500_000
    assert hardship["verified"] is False
