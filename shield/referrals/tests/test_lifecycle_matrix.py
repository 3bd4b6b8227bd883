"""Every lifecycle page and API endpoint through the four-actor permission matrix."""

import pytest
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.referrals.models import Referral, ReferralStep
from shield.referrals.tests import lifecycle_factories as f

pytestmark = pytest.mark.django_db
NAME = "Nguyễn Thị Hoa"
REASON = "Needs counselling after return"
snapshot = db_snapshot(Referral, ReferralStep)
API = "/api/v1/referrals/referrals/"


@pytest.fixture
def world():
    world = f.loop()
    referral = f.send(world)
    far = AgencyFactory.create(province=province("79"))
    receivers = Actors(
        permitted=world.provider_staff,
        no_permission=member(Role.JUSTICE_OFFICER, agency=world.receiver_agency),
        other_agency=member(Role.SERVICE_PROVIDER, agency=far),
    )
    senders = Actors(
        permitted=world.sender.worker,
        no_permission=member(Role.STATISTICIAN, agency=world.sender.agency),
        other_agency=member(Role.CASE_WORKER, agency=far),
    )
    supervisors = Actors(
        permitted=world.sender.supervisor,
        no_permission=world.sender.worker,
        other_agency=member(Role.SUPERVISOR, agency=far),
    )
    return world, referral, receivers, senders, supervisors


def test_the_lists(world) -> None:
    _world, _referral, receivers, senders, _sup = world
    inbox = reverse("referrals:referral_inbox")
    outbox = reverse("referrals:referral_outbox")
    assert_matrix(Endpoint("GET", inbox, scoped=True), receivers, secrets=[NAME], snapshot=snapshot)
    assert_matrix(Endpoint("GET", outbox, scoped=True), senders, secrets=[NAME], snapshot=snapshot)
    assert_matrix(
        Endpoint("GET", API, data={"box": "inbox"}, api=True, scoped=True),
        receivers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    assert_matrix(Endpoint("GET", API, api=True, scoped=True), senders, secrets=[NAME], snapshot=snapshot)


def test_the_detail(world) -> None:
    _world, referral, receivers, senders, _sup = world
    url = reverse("referrals:referral_detail", args=[referral.pk])
    assert_matrix(Endpoint("GET", url), receivers, secrets=[NAME, REASON], snapshot=snapshot)
    assert_matrix(Endpoint("GET", url), senders, secrets=[NAME, REASON], snapshot=snapshot)
    assert_matrix(
        Endpoint("GET", f"{API}{referral.pk}/", api=True),
        receivers,
        secrets=[NAME, REASON],
        snapshot=snapshot,
    )


def test_the_answering_steps(world) -> None:
    _world, referral, receivers, _senders, _sup = world
    url = reverse("referrals:referral_act", args=[referral.pk, "waitlist"])
    assert_matrix(
        Endpoint("POST", url, data={"waitlist-version": 1}, permitted_status={302}),
        receivers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("POST", f"{API}{referral.pk}/accept/", data={"version": 2}, api=True),
        receivers,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_cancel_and_revoke(world) -> None:
    _world, referral, _receivers, _senders, supervisors = world
    assert_matrix(
        Endpoint("POST", f"{API}{referral.pk}/revoke/", data={"version": 1, "note": "Unsafe"}, api=True),
        supervisors,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_cancel_by_the_sender(world) -> None:
    _world, referral, _receivers, senders, _supervisors = world
    url = reverse("referrals:referral_act", args=[referral.pk, "cancel"])
    assert_matrix(
        Endpoint(
            "POST",
            url,
            data={"cancel-version": 1, "cancel-note": "Moved", "cancel-confirm": "on"},
            permitted_status={302},
        ),
        senders,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_the_refer_form_and_send(world) -> None:
    w, _referral, _receivers, senders, _sup = world
    url = reverse("referrals:referral_new", args=[w.case.pk])
    assert_matrix(Endpoint("GET", url), senders, secrets=[w.case.reference], snapshot=snapshot)
    assert_matrix(
        Endpoint(
            "POST",
            API,
            data={
                "case": str(w.case.pk),
                "service": str(w.service.pk),
                "reason": "Again",
                "urgency": "routine",
            },
            api=True,
            permitted_status={201},
        ),
        senders,
        snapshot=snapshot,
    )


def test_the_figures(world) -> None:
    _w, _referral, _receivers, _senders, supervisors = world
    assert_matrix(
        Endpoint("GET", reverse("referrals:referral_figures"), scoped=True),
        supervisors,
        secrets=['data-testid="total">1<'],
        snapshot=snapshot,
    )
