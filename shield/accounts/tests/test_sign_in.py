import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, member
from shield.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client, username, password=DEFAULT_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_renders_for_anonymous(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b"Sign in to Shield" in response.content


def test_member_signs_in_and_sees_agency_and_role_on_home(client):
    user = member(Role.CASE_WORKER, username="cw.test")
    response = _sign_in(client, "cw.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    agency = user.primary_agency
    assert agency is not None
    assert agency.name_en in home.content.decode()
    assert "Case worker" in home.content.decode()
    assert "Manage cases" in home.content.decode()


def test_sign_in_and_sign_out_are_audited(client):
    user = member(Role.CASE_WORKER, username="cw.audit")
    _sign_in(client, "cw.audit")
    client.post(reverse("accounts:logout"))
    actions = list(
        AuditEvent.objects.filter(actor=user).order_by("sequence").values_list("action", flat=True)
    )
    assert actions == [AuditAction.LOGIN, AuditAction.LOGOUT]


def test_failed_sign_in_is_audited_without_the_password(client):
    user = member(Role.CASE_WORKER, username="cw.fail")
    response = _sign_in(client, "cw.fail", "wrong-password-123")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.object_id == str(user.pk)
    assert event.agency_id == user.primary_agency.pk
    assert "wrong-password" not in event.canonical_payload()


def test_repeated_failures_lock_the_account_even_for_the_right_password(client):
    member(Role.CASE_WORKER, username="cw.lock")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "cw.lock", "wrong-password-123")
    response = _sign_in(client, "cw.lock")
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()


def test_lockout_does_not_lock_other_accounts_from_another_address(client):
    member(Role.CASE_WORKER, username="cw.locked")
    member(Role.CASE_WORKER, username="cw.free")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "cw.locked", "wrong-password-123")
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    response = other.post(LOGIN, {"username": "cw.free", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_idle_session_expires_and_sends_user_to_sign_in(client):
    member(Role.CASE_WORKER, username="cw.idle")
    _sign_in(client, "cw.idle")
    assert client.get(reverse("home")).status_code == 200
    assert settings.SESSION_COOKIE_AGE == settings.SHIELD_IDLE_TIMEOUT_MINUTES * 60
    # Every request pushes expiry forward (sliding idle timeout)...
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date > timezone.now() + timedelta(minutes=settings.SHIELD_IDLE_TIMEOUT_MINUTES - 1)
    # ...and a session idle past the limit is gone.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_expiry_slides_at_most_once_a_minute(client, monkeypatch):
    member(Role.CASE_WORKER, username="cw.slide")
    _sign_in(client, "cw.slide")
    key = client.session.session_key
    client.get(reverse("home"))
    first = Session.objects.get(session_key=key).expire_date
    # Within the minute: no write to the session table at all.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert Session.objects.get(session_key=key).expire_date == first
    # A minute later the next request pushes the expiry forward.
    later = time.time() + settings.SHIELD_SESSION_REFRESH_SECONDS + 1
    monkeypatch.setattr("shield.accounts.middleware.time.time", lambda: later)
    Session.objects.filter(session_key=key).update(expire_date=first - timedelta(minutes=5))
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date > first - timedelta(minutes=1)


def test_password_change_enforces_twelve_characters_and_is_audited(client):
    user = member(Role.CASE_WORKER, username="cw.pw")
    client.force_login(user)
    url = reverse("accounts:password_change")
    short = client.post(
        url, {"old_password": DEFAULT_PASSWORD, "new_password1": "Sh0rt-pass", "new_password2": "Sh0rt-pass"}
    )
    assert short.status_code == 200
    assert b"at least 12 characters" in short.content
    good = "a-much-longer-passphrase-2026"
    response = client.post(
        url, {"old_password": DEFAULT_PASSWORD, "new_password1": good, "new_password2": good}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(good)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGE, actor=user)
    assert event.changed_fields == ["password"]
    assert good not in event.canonical_payload()


def test_user_without_membership_sees_empty_state(client):
    from shield.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="lonely"))
    response = client.get(reverse("home"))
    assert b"not a member of any agency" in response.content
