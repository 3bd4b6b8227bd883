"""Every page for running an agency through the permission matrix: anonymous, another agency's
administrator, a case worker of the agency, the agency's administrator; a system administrator
reaches them all. Denied actors see nothing of the member and change nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from shield.accounts.models import Agency, Membership, RoleGrant, User
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import StoredReason

pytestmark = pytest.mark.django_db

snapshot = db_snapshot(Agency, Membership, RoleGrant, User, TOTPDevice, StoredReason)


@pytest.fixture
def hanoi():
    return AgencyFactory(code="hn", name_en="Hanoi Agency", province=province("01"))


@pytest.fixture
def actors(hanoi):
    angiang = AgencyFactory(code="ag", name_en="An Giang Agency", province=province("91"))
    return Actors(
        permitted=member(Role.AGENCY_ADMIN, agency=hanoi, username="admin.hn"),
        no_permission=member(Role.CASE_WORKER, agency=hanoi, username="cw.hn"),
        other_agency=member(Role.AGENCY_ADMIN, agency=angiang, username="admin.ag"),
    )


@pytest.fixture
def system_admin():
    ministry = AgencyFactory(code="ministry", province=province("01"))
    return member(Role.SYSTEM_ADMIN, agency=ministry, scope=Scope.NATIONAL, username="sys.admin")


@pytest.fixture
def worker(hanoi):
    """An invited service provider (no password yet) with an authenticator."""
    user = member(Role.SERVICE_PROVIDER, agency=hanoi, username="sp.secret-name", email="sp@example.org")
    user.set_unusable_password()
    user.save()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def _pages(hanoi, worker):
    membership = Membership.objects.get(user=worker)
    base = {"agency_id": hanoi.pk, "member_id": worker.pk}
    return {
        "list": Endpoint("GET", reverse("accounts:member_list", args=[hanoi.pk])),
        "invite_page": Endpoint("GET", reverse("accounts:member_invite", args=[hanoi.pk])),
        "detail": Endpoint("GET", reverse("accounts:member_detail", kwargs=base)),
        "sign_ins": Endpoint("GET", reverse("accounts:member_sign_ins", kwargs=base)),
        "role_page": Endpoint("GET", reverse("accounts:member_role_give", kwargs=base)),
        "deactivate_page": Endpoint("GET", reverse("accounts:member_deactivate", kwargs=base)),
        "two_factor_page": Endpoint("GET", reverse("accounts:member_two_factor_reset", kwargs=base)),
        "end_page": Endpoint(
            "GET", reverse("accounts:membership_end", kwargs={**base, "membership_id": membership.pk})
        ),
        "resend_page": Endpoint("GET", reverse("accounts:member_invite_resend", kwargs=base)),
    }


def _writes(hanoi, worker):
    membership = Membership.objects.get(user=worker)
    base = {"agency_id": hanoi.pk, "member_id": worker.pk}
    moved = {302}
    return {
        "invite": Endpoint(
            "POST",
            reverse("accounts:member_invite", args=[hanoi.pk]),
            data={
                "username": "sp.two",
                "last_name": "Phạm",
                "first_name": "An",
                "email": "sp.two@example.org",
                "role": Role.SERVICE_PROVIDER,
                "scope": Scope.AGENCY,
            },
            permitted_status=moved,
        ),
        "give": Endpoint(
            "POST",
            reverse("accounts:member_role_give", kwargs=base),
            data={"role": Role.STATISTICIAN, "scope": Scope.AGENCY},
            permitted_status=moved,
        ),
        "end": Endpoint(
            "POST",
            reverse("accounts:membership_end", kwargs={**base, "membership_id": membership.pk}),
            data={"reason": "Left"},
            permitted_status=moved,
        ),
        "deactivate": Endpoint(
            "POST",
            reverse("accounts:member_deactivate", kwargs=base),
            data={"reason": "Left"},
            permitted_status=moved,
        ),
        "two_factor": Endpoint(
            "POST",
            reverse("accounts:member_two_factor_reset", kwargs=base),
            data={"reason": "Lost phone"},
            permitted_status=moved,
        ),
        "resend": Endpoint(
            "POST", reverse("accounts:member_invite_resend", kwargs=base), permitted_status=moved
        ),
    }


PAGES = [
    "list",
    "invite_page",
    "detail",
    "sign_ins",
    "role_page",
    "deactivate_page",
    "two_factor_page",
    "end_page",
    "resend_page",
]
WRITES = ["invite", "give", "end", "deactivate", "two_factor", "resend"]


@pytest.mark.parametrize("name", PAGES)
def test_member_page_matrix(name, hanoi, actors, worker, system_admin):
    endpoint = _pages(hanoi, worker)[name]
    secrets = ["sp.secret-name"] if name in {"list", "detail"} else []
    assert_matrix(endpoint, actors, secrets=secrets, snapshot=snapshot)
    client = Client()
    client.force_login(system_admin)
    assert client.get(endpoint.url).status_code == 200


@pytest.mark.parametrize("name", WRITES)
def test_member_write_matrix(name, hanoi, actors, worker):
    assert_matrix(_writes(hanoi, worker)[name], actors, snapshot=snapshot)


@pytest.mark.parametrize("name", WRITES)
def test_a_system_administrator_may_write_for_any_agency(name, hanoi, worker, system_admin):
    endpoint = _writes(hanoi, worker)[name]
    client = Client()
    client.force_login(system_admin)
    before = snapshot()
    assert client.post(endpoint.url, endpoint.data).status_code == 302
    assert snapshot() != before


def test_the_member_reactivate_matrix(hanoi, actors, worker):
    worker.is_active = False
    worker.save()
    url = reverse("accounts:member_reactivate", args=[hanoi.pk, worker.pk])
    assert_matrix(Endpoint("GET", url), actors, snapshot=snapshot)
    assert_matrix(
        Endpoint("POST", url, data={"reason": "Back"}, permitted_status={302}), actors, snapshot=snapshot
    )
    worker.refresh_from_db()
    assert worker.is_active


@pytest.fixture
def system_actors(hanoi, system_admin):
    """The agency pages are a system administrator's: an agency administrator is refused too."""
    return Actors(
        permitted=system_admin,
        no_permission=member(Role.AGENCY_ADMIN, agency=hanoi, username="admin.only"),
        other_agency=member(Role.CASE_WORKER, agency=hanoi, username="cw.only"),
    )


def test_agency_create_matrix(system_actors):
    url = reverse("accounts:agency_create")
    assert_matrix(Endpoint("GET", url), system_actors, snapshot=snapshot)
    data = {
        "kind": "ngo",
        "code": "ngo-x",
        "name_vi": "Tổ chức X",
        "name_en": "NGO X",
        "province": province("01").pk,
    }
    assert_matrix(Endpoint("POST", url, data=data, permitted_status={302}), system_actors, snapshot=snapshot)
    assert Agency.objects.filter(code="ngo-x").exists()


def test_agency_edit_matrix(hanoi, system_actors):
    url = reverse("accounts:agency_edit", args=[hanoi.pk])
    assert_matrix(Endpoint("GET", url), system_actors, secrets=["Hanoi Agency"], snapshot=snapshot)
    data = {
        "kind": hanoi.kind,
        "code": "hn",
        "name_vi": hanoi.name_vi,
        "name_en": "Hanoi Agency renamed",
        "province": hanoi.province_id,
        "is_active": "on",
        "version": hanoi.version,
    }
    assert_matrix(Endpoint("POST", url, data=data, permitted_status={302}), system_actors, snapshot=snapshot)
    hanoi.refresh_from_db()
    assert hanoi.name_en == "Hanoi Agency renamed"


def test_the_invitation_page_is_open_only_with_a_valid_link(worker):
    from shield.accounts.member_services import invite_path

    assert Client().get(invite_path(worker)).status_code == 200
    assert Client().get(invite_path(worker)[:-3] + "xx/").status_code == 404
