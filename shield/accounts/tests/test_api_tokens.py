"""API tokens: a new hashed token on every request, expiring, listed and revoked by the owner and
their agency administrator, revoked by a password change, deactivation, lockout or a role that
now requires two-factor sign-in; issuing, use from a new address and revoking are audited."""

import datetime
import hashlib
import io
import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from shield.accounts import services, token_services
from shield.accounts.models import Agency, ApiToken
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import DEFAULT_PASSWORD, AgencyFactory, member, province
from shield.accounts.token_models import RevokeReason
from shield.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"
NEW_PASSWORD = "Vinh-Ha-Long-sau-mua-2931"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The token endpoint allows 20 requests a minute per address; this module asks for many more.
    cache.clear()


def _issue(username, *, client=None, **extra):
    response = (client or APIClient()).post(
        TOKEN, {"username": username, "password": DEFAULT_PASSWORD, **extra}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _with(key, **meta):
    client = APIClient(**meta)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _me_status(key, **meta):
    return _with(key, **meta).get(ME).status_code


def _token_of(body):
    return ApiToken.objects.get(pk=body["id"])


# --- issuing ------------------------------------------------------------------------------------


def test_every_token_request_issues_a_new_token():
    user = member(Role.CASE_WORKER, username="tk.new")
    first, second = _issue("tk.new"), _issue("tk.new")
    assert first["token"] != second["token"]
    assert _me_status(first["token"]) == 200
    assert _me_status(second["token"]) == 200
    assert ApiToken.objects.filter(user=user).count() == 2


def test_the_token_expires_after_the_configured_hours(settings):
    settings.SHIELD_API_TOKEN_HOURS = 3
    member(Role.CASE_WORKER, username="tk.hours")
    before = timezone.now()
    body = _issue("tk.hours")
    token = _token_of(body)
    assert (
        before + datetime.timedelta(hours=3)
        <= token.expires_at
        <= timezone.now() + datetime.timedelta(hours=3)
    )
    assert datetime.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00")) == token.expires_at


def test_only_a_hash_of_the_token_is_stored_anywhere_in_the_database():
    member(Role.CASE_WORKER, username="tk.hash")
    body = _issue("tk.hash")
    key = body["token"]
    token = _token_of(body)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert _me_status(key) == 200
    dump = io.StringIO()
    call_command("dumpdata", exclude=["geo", "contenttypes", "auth.permission"], stdout=dump)
    text = dump.getvalue()
    secret_part = key.split(".", 1)[1]
    assert token.key_hash in text  # the dump does hold the token row, so the check below can fail
    assert key not in text
    assert secret_part not in text


def test_issuing_is_audited_with_the_token_as_the_object_never_the_secret():
    user = member(Role.CASE_WORKER, username="tk.audit")
    body = _issue("tk.audit")
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_ISSUE)
    assert (event.actor, event.object_type, event.object_id) == (user, "accounts.apitoken", body["id"])
    assert event.agency == user.primary_agency
    assert body["token"] not in json.dumps(list(AuditEvent.objects.values()), default=str)


# --- refusals at authentication -----------------------------------------------------------------


def test_an_expired_token_is_refused():
    member(Role.CASE_WORKER, username="tk.exp")
    body = _issue("tk.exp")
    assert _me_status(body["token"]) == 200
    ApiToken.objects.filter(pk=body["id"]).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = _with(body["token"]).get(ME)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_an_expired_token_is_refused_when_the_clock_moves_past_its_lifetime(monkeypatch):
    member(Role.CASE_WORKER, username="tk.clock")
    body = _issue("tk.clock")
    later = timezone.now() + datetime.timedelta(hours=settings.SHIELD_API_TOKEN_HOURS, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _me_status(body["token"]) == 401


def test_a_token_of_a_deactivated_user_is_refused():
    user = member(Role.CASE_WORKER, username="tk.inactive")
    body = _issue("tk.inactive")
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert _me_status(body["token"]) == 401


def test_a_made_up_or_old_plain_token_is_refused():
    member(Role.CASE_WORKER, username="tk.plain")
    body = _issue("tk.plain")
    assert _me_status("0123456789abcdef0123456789abcdef01234567") == 401
    assert _me_status(body["prefix"]) == 401
    assert _me_status(body["token"] + "x") == 401
    assert _me_status("x" * 5000) == 401


# --- last use -----------------------------------------------------------------------------------


def test_last_use_is_written_at_most_once_a_minute_from_the_same_address():
    member(Role.CASE_WORKER, username="tk.use")
    body = _issue("tk.use")
    client = _with(body["token"])
    assert client.get(ME).status_code == 200
    token = _token_of(body)
    first_use = token.last_used_at
    assert first_use is not None
    assert token.last_used_ip == "127.0.0.1"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME).status_code == 200
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"] and "apitoken" in q["sql"]]
    assert _token_of(body).last_used_at == first_use
    ApiToken.objects.filter(pk=body["id"]).update(last_used_at=first_use - datetime.timedelta(minutes=2))
    assert client.get(ME).status_code == 200
    assert _token_of(body).last_used_at > first_use
    assert not AuditEvent.objects.filter(action=AuditAction.TOKEN_NEW_ADDRESS).exists()


def test_use_from_a_new_address_is_recorded_at_once_and_audited():
    user = member(Role.CASE_WORKER, username="tk.addr")
    body = _issue("tk.addr")
    assert _me_status(body["token"]) == 200
    assert _me_status(body["token"], REMOTE_ADDR="203.0.113.9") == 200
    token = _token_of(body)
    assert token.last_used_ip == "203.0.113.9"
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_NEW_ADDRESS)
    assert (event.actor, event.object_id, event.ip_address) == (user, body["id"], "203.0.113.9")
    assert _me_status(body["token"], REMOTE_ADDR="203.0.113.9") == 200
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_NEW_ADDRESS).count() == 1


# --- revoked by events --------------------------------------------------------------------------


def test_api_sign_out_revokes_the_token_of_the_request_only():
    user = member(Role.CASE_WORKER, username="tk.out")
    used, other = _issue("tk.out"), _issue("tk.out")
    assert _with(used["token"]).post("/api/v1/auth/token/revoke/").status_code == 204
    assert _me_status(used["token"]) == 401
    assert _me_status(other["token"]) == 200
    token = _token_of(used)
    assert (token.revoke_reason, token.revoked_by) == (RevokeReason.SIGN_OUT, user)
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKE)
    assert (event.object_id, event.reason) == (used["id"], RevokeReason.SIGN_OUT)


def test_api_sign_out_without_a_token_answers_400():
    user = member(Role.CASE_WORKER, username="tk.session")
    client = APIClient()
    client.force_authenticate(user)
    assert client.post("/api/v1/auth/token/revoke/").status_code == 400
    assert APIClient().post("/api/v1/auth/token/revoke/").status_code == 401


def test_a_password_change_revokes_the_tokens():
    user = member(Role.CASE_WORKER, username="tk.pw")
    body = _issue("tk.pw")
    services.user_password_set(actor=user, user=user, password=NEW_PASSWORD)
    assert _me_status(body["token"]) == 401
    assert _token_of(body).revoke_reason == RevokeReason.PASSWORD_CHANGE


def test_a_password_change_on_the_web_page_revokes_the_tokens():
    user = member(Role.CASE_WORKER, username="tk.webpw")
    body = _issue("tk.webpw")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _me_status(body["token"]) == 401
    assert _token_of(body).revoke_reason == RevokeReason.PASSWORD_CHANGE


def test_a_lockout_revokes_the_tokens():
    member(Role.CASE_WORKER, username="tk.lock")
    body = _issue("tk.lock")
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN, {"username": "tk.lock", "password": "not-the-password"}, format="json")
    assert _me_status(body["token"]) == 401
    token = _token_of(body)
    assert (token.revoke_reason, token.revoked_by) == (RevokeReason.LOCKED_OUT, None)


def test_deactivating_a_user_in_the_admin_site_revokes_their_tokens():
    agency = AgencyFactory(code="tk-admin", province=province("01"))
    admin = member(Role.SYSTEM_ADMIN, agency=agency, scope=Scope.NATIONAL, username="tk.sysadmin")
    user = member(Role.CASE_WORKER, agency=agency, username="tk.leaver", email="leaver@example.org")
    body = _issue("tk.leaver")
    membership = user.memberships.get()
    client = Client()
    client.force_login(admin)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        # is_active left out: the checkbox is cleared
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-user": str(user.pk),
        "memberships-0-agency": str(agency.pk),
        "memberships-0-role": membership.role,
        "memberships-0-scope": membership.scope,
        "memberships-0-is_active": "on",
        "memberships-0-ended_at": "",
    }
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert not user.is_active
    token = _token_of(body)
    assert (token.revoke_reason, token.revoked_by) == (RevokeReason.DEACTIVATED, admin)


def test_an_agency_requiring_two_factor_for_a_role_revokes_tokens_issued_without_it():
    user = member(Role.CASE_WORKER, username="tk.2fa")
    other_role = member(Role.STATISTICIAN, agency=user.primary_agency, username="tk.stat")
    admin = member(Role.AGENCY_ADMIN, agency=user.primary_agency, username="tk.aa")
    body, kept = _issue("tk.2fa"), _issue("tk.stat")
    agency = user.primary_agency
    services.agency_two_factor_roles_set(
        actor=admin, agency=agency, roles=[Role.CASE_WORKER], expected_version=agency.version
    )
    assert _me_status(body["token"]) == 401
    token = _token_of(body)
    assert (token.revoke_reason, token.revoked_by) == (RevokeReason.TWO_FACTOR_REQUIRED, admin)
    assert _me_status(kept["token"]) == 200
    assert other_role.api_tokens.get().revoked_at is None


def test_a_token_issued_after_a_two_factor_check_survives_the_role_change():
    user = member(Role.CASE_WORKER, username="tk.2fa.ok")
    agency = user.primary_agency
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    Agency.objects.filter(pk=agency.pk).update(two_factor_roles=[Role.CASE_WORKER])
    body = _issue("tk.2fa.ok", otp_token=f"{totp(device.bin_key):06d}")
    assert _token_of(body).two_factor
    Agency.objects.filter(pk=agency.pk).update(two_factor_roles=[])
    agency.refresh_from_db()
    services.agency_two_factor_roles_set(
        actor=user, agency=agency, roles=[Role.CASE_WORKER], expected_version=agency.version
    )
    assert _me_status(body["token"]) == 200


def test_granting_a_role_that_requires_two_factor_revokes_tokens_issued_without_it(settings):
    # A statistician reads no case data, so the grant takes effect at once (no second approval).
    settings.SHIELD_TWO_FACTOR_ROLES = [Role.STATISTICIAN]
    user = member(Role.CASE_WORKER, username="tk.promoted")
    body = _issue("tk.promoted")
    services.membership_grant(actor=None, user=user, agency=user.primary_agency, role=Role.STATISTICIAN)
    assert _token_of(body).revoke_reason == RevokeReason.TWO_FACTOR_REQUIRED
    assert _me_status(body["token"]) == 401


def test_a_role_made_to_require_two_factor_by_setting_refuses_older_tokens(settings):
    member(Role.CASE_WORKER, username="tk.setting")
    body = _issue("tk.setting")
    settings.SHIELD_TWO_FACTOR_ROLES = [Role.CASE_WORKER]
    response = _with(body["token"]).get(ME)
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]


def test_revoking_all_writes_one_audit_event_per_live_token():
    user = member(Role.CASE_WORKER, username="tk.all")
    bodies = [_issue("tk.all") for _ in range(3)]
    ApiToken.objects.filter(pk=bodies[0]["id"]).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = _with(bodies[1]["token"]).post("/api/v1/auth/tokens/revoke-all/")
    assert response.json() == {"revoked": 2}
    events = AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKE)
    assert sorted(e.object_id for e in events) == sorted(b["id"] for b in bodies[1:])
    assert all(e.actor == user and e.reason == RevokeReason.OWNER for e in events)
    assert token_services.api_tokens_revoke(actor=user, user=user, reason=RevokeReason.OWNER) == 0


# --- listing ------------------------------------------------------------------------------------


def test_the_owner_lists_their_tokens_without_any_secret():
    member(Role.CASE_WORKER, username="tk.list")
    member(Role.CASE_WORKER, username="tk.someone")
    mine, theirs = _issue("tk.list"), _issue("tk.someone")
    response = _with(mine["token"]).get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["prefix"] for r in rows] == [mine["prefix"]]
    assert rows[0]["status"] == "active"
    assert rows[0]["last_used_ip"] == "127.0.0.1"
    text = response.content.decode()
    assert mine["token"] not in text
    assert _token_of(mine).key_hash not in text
    assert theirs["prefix"] not in text


def test_token_lists_cap_the_page_size():
    user = member(Role.CASE_WORKER, username="tk.many")
    now = timezone.now()
    ApiToken.objects.bulk_create(
        ApiToken(user=user, prefix=f"{i:08x}", key_hash=f"{i:064x}", expires_at=now) for i in range(205)
    )
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/auth/tokens/", {"page_size": 1000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 200
    page = Client()
    page.force_login(user)
    html = page.get(reverse("accounts:my_tokens")).content.decode()
    assert html.count('data-testid="token-') == 25 + 1  # 25 rows and the table


def test_a_system_administrator_lists_every_members_tokens():
    admin = member(Role.SYSTEM_ADMIN, scope=Scope.NATIONAL, username="tk.sys")
    member(Role.CASE_WORKER, username="tk.far", agency=AgencyFactory(province=province("91")))
    body = _issue("tk.far")
    client = APIClient()
    client.force_authenticate(admin)
    rows = client.get("/api/v1/auth/member-tokens/").json()["results"]
    assert body["prefix"] in [r["prefix"] for r in rows]
    assert client.post(f"/api/v1/auth/tokens/{body['id']}/revoke/").status_code == 200
    assert _token_of(body).revoke_reason == RevokeReason.ADMINISTRATOR


def test_member_token_list_filters_by_a_malformed_id_answer_400():
    admin = member(Role.AGENCY_ADMIN, username="tk.aa.bad")
    client = APIClient()
    client.force_authenticate(admin)
    response = client.get("/api/v1/auth/member-tokens/", {"agency": "not-a-uuid"})
    assert response.status_code == 400
    assert "agency" in response.json()


def test_members_tokens_page_query_count_does_not_grow_with_tokens(django_assert_max_num_queries):
    agency = AgencyFactory(code="tk-q", province=province("01"))
    admin = member(Role.AGENCY_ADMIN, agency=agency, username="tk.q.aa")
    client = Client()
    client.force_login(admin)
    url = reverse("accounts:agency_tokens", args=[agency.pk])
    for n in range(5):
        member(Role.CASE_WORKER, agency=agency, username=f"tk.q.{n}")
        _issue(f"tk.q.{n}")
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    for n in range(5, 15):
        member(Role.CASE_WORKER, agency=agency, username=f"tk.q.{n}")
        _issue(f"tk.q.{n}")
    with CaptureQueriesContext(connection) as fifteen:
        assert client.get(url).status_code == 200
    assert len(fifteen.captured_queries) == len(five.captured_queries)


def test_addresses_are_compared_as_stored_and_a_malformed_one_is_not_written():
    member(Role.CASE_WORKER, username="tk.v6")
    body = _issue("tk.v6")
    assert _me_status(body["token"], REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001") == 200
    assert _token_of(body).last_used_ip == "2001:db8::1"
    assert _me_status(body["token"], REMOTE_ADDR="2001:db8:0:0::1") == 200
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_NEW_ADDRESS).count() == 1
    assert _me_status(body["token"], REMOTE_ADDR="not-an-address") == 200
    assert _token_of(body).last_used_ip == "2001:db8::1"


def test_granting_a_two_factor_role_in_the_admin_site_revokes_tokens_issued_without_it(settings):
    settings.SHIELD_TWO_FACTOR_ROLES = [Role.STATISTICIAN]
    agency = AgencyFactory(code="tk-admin-2fa", province=province("01"))
    admin = member(Role.SYSTEM_ADMIN, agency=agency, scope=Scope.NATIONAL, username="tk.sys.2fa")
    user = member(Role.CASE_WORKER, agency=agency, username="tk.promoted.admin")
    body = _issue("tk.promoted.admin")
    client = Client()
    client.force_login(admin)
    response = client.post(
        # Roles are given through role grants (four eyes); a statistician's is granted at once.
        reverse("admin:accounts_rolegrant_add"),
        {"user": str(user.pk), "agency": str(agency.pk), "role": Role.STATISTICIAN, "scope": Scope.AGENCY},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    token = _token_of(body)
    assert (token.revoke_reason, token.revoked_by) == (RevokeReason.TWO_FACTOR_REQUIRED, admin)
