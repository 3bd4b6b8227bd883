"""The referrals API: list (both boxes), send, read (audited, ETag), steps with If-Match."""

import pytest
from django.test import Client

from shield.audit.models import AuditEvent
from shield.referrals.models import Referral, ReferralStatus
from shield.referrals.tests import lifecycle_factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/referrals/referrals/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_send_read_and_walk_the_loop_through_the_api() -> None:
    world = f.loop()
    f.consent(world.case, agency=world.receiver_agency)
    sender = _client(world.sender.worker)
    created = sender.post(
        BASE,
        {
            "case": str(world.case.pk),
            "service": str(world.service.pk),
            "reason": "Counselling",
            "urgency": "urgent",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    referral_id = created.json()["id"]
    assert created["ETag"] == '"1"'
    staff = _client(world.provider_staff)
    read = staff.get(f"{BASE}{referral_id}/")
    assert read.status_code == 200
    assert read.json()["person"]["display_name"] == "Nguyễn Thị Hoa"
    assert read.json()["case_id"] is None
    assert "accept" in read.json()["actions"]
    assert AuditEvent.objects.filter(action="view", object_id=referral_id).exists()
    accepted = staff.post(
        f"{BASE}{referral_id}/accept/", {}, content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == ReferralStatus.ACCEPTED
    started = staff.post(
        f"{BASE}{referral_id}/start-service/", {"version": 2}, content_type="application/json"
    )
    assert started.status_code == 200
    no_outcome = staff.post(f"{BASE}{referral_id}/complete/", {"version": 3}, content_type="application/json")
    assert no_outcome.status_code == 400
    done = staff.post(
        f"{BASE}{referral_id}/complete/",
        {"outcome": "successful"},
        content_type="application/json",
        HTTP_IF_MATCH='"3"',
    )
    assert done.status_code == 200
    assert Referral.objects.get(pk=referral_id).status == ReferralStatus.COMPLETED


def test_stale_if_match_is_412_and_none_is_428() -> None:
    world = f.loop()
    referral = f.send(world)
    staff = _client(world.provider_staff)
    url = f"{BASE}{referral.pk}/accept/"
    assert staff.post(url, {}, content_type="application/json", HTTP_IF_MATCH='"9"').status_code == 412
    assert staff.post(url, {}, content_type="application/json").status_code == 428
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_the_list_answers_each_box_paginated() -> None:
    world = f.loop()
    referral = f.send(world)
    inbox = _client(world.provider_staff).get(BASE, {"box": "inbox"}).json()
    assert [r["reference"] for r in inbox["results"]] == [referral.reference]
    outbox = _client(world.sender.worker).get(BASE).json()
    assert [r["reference"] for r in outbox["results"]] == [referral.reference]
    assert _client(world.provider_staff).get(BASE).json()["results"] == []


def test_a_decline_without_reason_is_a_field_error() -> None:
    world = f.loop()
    referral = f.send(world)
    response = _client(world.provider_staff).post(
        f"{BASE}{referral.pk}/decline/", {"version": 1}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
