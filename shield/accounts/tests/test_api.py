import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from shield.accounts.models import Agency
from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, member
from shield.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def _token(client, username, password=DEFAULT_PASSWORD, **extra):
    return client.post(TOKEN, {"username": username, "password": password, **extra}, format="json")


def test_token_then_me_with_the_token():
    user = member(Role.CASE_WORKER, username="api.cw")
    client = APIClient()
    response = _token(client, "api.cw")
    assert response.status_code == 200
    key = response.json()["token"]
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_ISSUE, actor=user).exists()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "api.cw"
    assert body["memberships"][0]["role"] == Role.CASE_WORKER
    assert "cases.view" in body["permissions"]


def test_wrong_password_answers_400_without_saying_which_part_was_wrong():
    member(Role.CASE_WORKER, username="api.wrong")
    response = _token(APIClient(), "api.wrong", "not-the-password")
    assert response.status_code == 400
    assert "username and password" in response.json()["detail"]
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).exists()


def test_missing_fields_answer_400_per_field():
    response = APIClient().post(TOKEN, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password", "detail"}


def test_repeated_failures_lock_the_account_for_the_api_too():
    member(Role.CASE_WORKER, username="api.lock")
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(client, "api.lock", "not-the-password")
    response = _token(client, "api.lock")
    assert response.status_code == 429
    assert "token" not in response.json()


def test_role_with_two_factor_needs_a_code_for_a_token():
    user = member(Role.CASE_WORKER, username="api.2fa")
    Agency.objects.filter(pk=user.primary_agency.pk).update(two_factor_roles=[Role.CASE_WORKER])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = APIClient()
    missing = _token(client, "api.2fa")
    assert missing.status_code == 400
    assert "otp_token" in missing.json()
    wrong = _token(client, "api.2fa", otp_token="000000" if totp(device.bin_key) != 0 else "111111")
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    ok = _token(client, "api.2fa", otp_token=f"{totp(device.bin_key):06d}")
    assert ok.status_code == 200
    assert ok.json()["token"]


def test_me_requires_authentication():
    assert APIClient().get("/api/v1/me/").status_code in {401, 403}


def test_schema_and_offline_docs_are_served():
    user = member(Role.CASE_WORKER, username="api.docs")
    client = APIClient()
    client.force_authenticate(user)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/auth/token/" in schema.content.decode()
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
