"""Every API token endpoint and page through the permission matrix: anonymous, a plain member on
another's token, the administrator of another agency, and the one it is for."""

import pytest
from django.test import Client
from django.urls import reverse

from shield.accounts import token_services
from shield.accounts.models import ApiToken
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.accounts.token_models import RevokeReason

pytestmark = pytest.mark.django_db

snapshot = db_snapshot(ApiToken)


@pytest.fixture
def agency():
    return AgencyFactory(code="tk-home", name_en="Home Agency", province=province("01"))


@pytest.fixture
def owner(agency):
    return member(Role.CASE_WORKER, agency=agency, username="tk.owner")


@pytest.fixture
def token(owner):
    return token_services.api_token_issue(user=owner, two_factor=False, ip="192.0.2.1").token


@pytest.fixture
def admin_actors(agency):
    elsewhere = AgencyFactory(code="tk-far", name_en="Far Agency", province=province("91"))
    return Actors(
        permitted=member(Role.AGENCY_ADMIN, agency=agency, username="tk.aa.home"),
        no_permission=member(Role.CASE_WORKER, agency=agency, username="tk.cw.home"),
        other_agency=member(Role.AGENCY_ADMIN, agency=elsewhere, username="tk.aa.far"),
    )


@pytest.fixture
def owner_actors(owner, admin_actors):
    """For the owner's own pages: everyone else, the owner's own administrator included, is refused."""
    return Actors(
        permitted=owner, no_permission=admin_actors.no_permission, other_agency=admin_actors.other_agency
    )


def _revoked(token):
    token.refresh_from_db()
    return token.revoked_at is not None


# --- API ----------------------------------------------------------------------------------------


def test_member_token_list_api_matrix(token, admin_actors):
    endpoint = Endpoint("GET", "/api/v1/auth/member-tokens/", api=True, scoped=True)
    statuses = assert_matrix(endpoint, admin_actors, secrets=[token.prefix], snapshot=snapshot)
    assert statuses["no_permission"] == 403
    assert statuses["anonymous"] == 401


def test_token_revoke_api_matrix(token, admin_actors):
    endpoint = Endpoint("POST", f"/api/v1/auth/tokens/{token.pk}/revoke/", api=True)
    statuses = assert_matrix(endpoint, admin_actors, snapshot=snapshot)
    assert statuses["no_permission"] == 404
    assert statuses["other_agency"] == 404
    token.refresh_from_db()
    assert (token.revoke_reason, token.revoked_by) == (RevokeReason.ADMINISTRATOR, admin_actors.permitted)


def test_token_revoke_api_matrix_for_the_owner(token, owner_actors):
    endpoint = Endpoint("POST", f"/api/v1/auth/tokens/{token.pk}/revoke/", api=True)
    assert_matrix(endpoint, owner_actors, snapshot=snapshot)
    token.refresh_from_db()
    assert token.revoke_reason == RevokeReason.OWNER


def test_own_token_list_api_shows_each_user_only_their_own(token, owner, admin_actors):
    assert Client().get("/api/v1/auth/tokens/").status_code == 401
    for user in [admin_actors.permitted, admin_actors.no_permission, admin_actors.other_agency]:
        client = Client()
        client.force_login(user)
        response = client.get("/api/v1/auth/tokens/")
        assert response.status_code == 200
        assert token.prefix not in response.content.decode()
    client = Client()
    client.force_login(owner)
    assert token.prefix in client.get("/api/v1/auth/tokens/").content.decode()


def test_revoke_all_api_revokes_only_the_callers_tokens(token, owner, admin_actors):
    assert Client().post("/api/v1/auth/tokens/revoke-all/").status_code == 401
    for user in [admin_actors.permitted, admin_actors.no_permission, admin_actors.other_agency]:
        client = Client()
        client.force_login(user)
        assert client.post("/api/v1/auth/tokens/revoke-all/").status_code == 200
    assert not _revoked(token)
    client = Client()
    client.force_login(owner)
    assert client.post("/api/v1/auth/tokens/revoke-all/").json() == {"revoked": 1}
    assert _revoked(token)


def test_api_sign_out_touches_no_other_token(token, admin_actors):
    assert Client().post("/api/v1/auth/token/revoke/").status_code == 401
    for user in [admin_actors.permitted, admin_actors.no_permission, admin_actors.other_agency]:
        client = Client()
        client.force_login(user)
        assert client.post("/api/v1/auth/token/revoke/").status_code == 400
    assert not _revoked(token)


# --- pages --------------------------------------------------------------------------------------


def test_members_tokens_page_matrix(agency, token, admin_actors):
    url = reverse("accounts:agency_tokens", args=[agency.pk])
    statuses = assert_matrix(Endpoint("GET", url), admin_actors, secrets=[token.prefix], snapshot=snapshot)
    assert statuses["no_permission"] == 403
    assert statuses["other_agency"] == 404


def test_members_token_revoke_confirmation_page_matrix(agency, token, admin_actors):
    url = reverse("accounts:agency_token_revoke", args=[agency.pk, token.pk])
    assert_matrix(Endpoint("GET", url), admin_actors, secrets=[token.prefix], snapshot=snapshot)
    assert not _revoked(token)


def test_members_token_revoke_matrix(agency, token, admin_actors):
    url = reverse("accounts:agency_token_revoke", args=[agency.pk, token.pk])
    assert_matrix(Endpoint("POST", url, permitted_status={302}), admin_actors, snapshot=snapshot)
    token.refresh_from_db()
    assert (token.revoke_reason, token.revoked_by) == (RevokeReason.ADMINISTRATOR, admin_actors.permitted)


def test_another_agencys_token_is_not_reached_through_ones_own_agency_page(token, admin_actors):
    far = admin_actors.other_agency.primary_agency
    client = Client()
    client.force_login(admin_actors.other_agency)
    url = reverse("accounts:agency_token_revoke", args=[far.pk, token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not _revoked(token)


def test_my_tokens_page_shows_each_user_only_their_own(token, owner, admin_actors):
    url = reverse("accounts:my_tokens")
    response = Client().get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    for user in [admin_actors.permitted, admin_actors.no_permission, admin_actors.other_agency]:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert token.prefix not in response.content.decode()
    client = Client()
    client.force_login(owner)
    html = client.get(url).content.decode()
    assert token.prefix in html
    assert "192.0.2.1" in html


def test_my_token_revoke_confirmation_page_matrix(token, owner_actors, admin_actors):
    url = reverse("accounts:my_token_revoke", args=[token.pk])
    assert_matrix(Endpoint("GET", url), owner_actors, secrets=[token.prefix], snapshot=snapshot)
    client = Client()
    client.force_login(admin_actors.permitted)  # administrators use their agency's page
    assert client.get(url).status_code == 404


def test_my_token_revoke_matrix(token, owner_actors):
    url = reverse("accounts:my_token_revoke", args=[token.pk])
    assert_matrix(Endpoint("POST", url, permitted_status={302}), owner_actors, snapshot=snapshot)
    token.refresh_from_db()
    assert token.revoke_reason == RevokeReason.OWNER


def test_revoke_all_page_asks_first_and_revokes_only_the_callers_tokens(token, owner, admin_actors):
    url = reverse("accounts:my_tokens_revoke_all")
    response = Client().post(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    for user in [admin_actors.permitted, admin_actors.no_permission, admin_actors.other_agency]:
        client = Client()
        client.force_login(user)
        assert client.post(url).status_code == 302
    assert not _revoked(token)
    client = Client()
    client.force_login(owner)
    assert client.get(url).status_code == 200
    assert not _revoked(token)
    assert client.post(url).status_code == 302
    assert _revoked(token)
