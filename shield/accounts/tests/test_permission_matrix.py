"""Every accounts page through the four-actor permission matrix."""

import pytest
from django.urls import reverse

from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot

pytestmark = pytest.mark.django_db

snapshot = db_snapshot(Agency, Membership, User)


@pytest.fixture
def agency():
    return AgencyFactory(code="home-agency", name_en="Home Agency", province=province("01"))


@pytest.fixture
def admin_actors(agency):
    elsewhere = AgencyFactory(code="far-agency", name_en="Far Agency", province=province("91"))
    return Actors(
        permitted=member(Role.AGENCY_ADMIN, agency=agency, username="aa.home"),
        no_permission=member(Role.CASE_WORKER, agency=agency, username="cw.home"),
        other_agency=member(Role.AGENCY_ADMIN, agency=elsewhere, username="aa.far"),
    )


def test_agency_security_page_matrix(agency, admin_actors):
    url = reverse("accounts:agency_security", args=[agency.pk])
    assert_matrix(Endpoint("GET", url), admin_actors, secrets=["Home Agency"], snapshot=snapshot)


def test_agency_security_change_matrix(agency, admin_actors):
    url = reverse("accounts:agency_security", args=[agency.pk])
    endpoint = Endpoint("POST", url, data={"roles": [Role.CASE_WORKER], "version": 1}, permitted_status={302})
    assert_matrix(endpoint, admin_actors, snapshot=snapshot)
    agency.refresh_from_db()
    assert agency.two_factor_roles == [Role.CASE_WORKER]


def test_agency_list_matrix(agency, admin_actors):
    url = reverse("accounts:agency_list")
    statuses = assert_matrix(
        Endpoint("GET", url, scoped=True), admin_actors, secrets=["Home Agency"], snapshot=snapshot
    )
    assert statuses["no_permission"] == 403
    from shield.audit.models import AuditAction, AuditEvent

    denied = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert denied.actor == admin_actors.no_permission


def test_admin_site_matrix(agency):
    actors = Actors(
        permitted=member(Role.SYSTEM_ADMIN, agency=agency, scope=Scope.NATIONAL, username="sysadmin"),
        no_permission=member(Role.AGENCY_ADMIN, agency=agency, username="aa.only"),
    )
    for url in [
        "/admin/accounts/agency/",
        "/admin/accounts/user/",
        "/admin/accounts/membership/",
        "/admin/accounts/rolegrant/",
    ]:
        endpoint = Endpoint("GET", url)
        for name, user in actors.signed_in().items():
            from django.test import Client

            client = Client()
            if user:
                client.force_login(user)
            response = client.get(endpoint.url)
            if name == "permitted":
                assert response.status_code == 200, url
                assert b"Home Agency" in response.content or "agency" not in url
            else:
                # The admin site answers a non-staff user with its own login page.
                assert response.status_code == 302, url
                assert "/admin/login/" in response["Location"]


def test_admin_site_cannot_delete(agency, client):
    admin = member(Role.SYSTEM_ADMIN, agency=agency, scope=Scope.NATIONAL, username="sysadmin2")
    client.force_login(admin)
    response = client.post(f"/admin/accounts/agency/{agency.pk}/delete/", {"post": "yes"})
    assert response.status_code in {302, 403}
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_home_requires_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
