"""Account lockout and the per-address throttle, on the web sign-in and the API token alike.

The matrix runs every scenario through both doors; each scenario ends with the attempt that
matters and names its expected outcome: signed_in, wrong (refused as a wrong password),
locked (the account is locked) or blocked (the address is paused for a few minutes).
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from shield.accounts.models import SignInAddress
from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, member
from shield.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.10"  # one office behind one NAT address
WRONG = "not-the-password-1"


@pytest.fixture(autouse=True)
def _accounts(monkeypatch):
    member(Role.CASE_WORKER, username="sup.hanoi")
    member(Role.CASE_WORKER, username="cw.hanoi")
    # DRF's own per-process token rate would answer before the view; these tests are about ours.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


def _web(username: str, password: str, address: str) -> str:
    response = Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )
    if response.status_code == 302:
        return "signed_in"
    if response.status_code == 200:
        assert b"Please enter a correct username and password" in response.content
        return "wrong"
    assert response.status_code == 429, response.status_code
    assert response["Retry-After"].isdigit()
    return "blocked" if b"from your network" in response.content else "locked"


def _api(username: str, password: str, address: str) -> str:
    response = APIClient(REMOTE_ADDR=address).post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    if response.status_code == 200:
        return "signed_in"
    if response.status_code == 400:
        assert "username and password" in response.json()["detail"]
        return "wrong"
    assert response.status_code == 429, response.status_code
    assert response["Retry-After"].isdigit()
    return "blocked" if "from your network" in response.json()["detail"] else "locked"


DOORS: dict[str, Callable[[str, str, str], str]] = {"web": _web, "api": _api}


def _correct_after_four_failures(attempt):
    for _ in range(4):
        assert attempt("sup.hanoi", WRONG, OFFICE) == "wrong"
    return attempt("sup.hanoi", DEFAULT_PASSWORD, OFFICE)


def _five_failures_then_correct(attempt):
    for _ in range(4):
        assert attempt("sup.hanoi", WRONG, OFFICE) == "wrong"
    assert attempt("sup.hanoi", WRONG, OFFICE) == "locked"  # the fifth failure locks
    return attempt("sup.hanoi", DEFAULT_PASSWORD, OFFICE)


def _five_failures_from_five_addresses_then_correct(attempt):
    for n in range(5):
        attempt("sup.hanoi", WRONG, f"198.51.100.{n + 1}")
    return attempt("sup.hanoi", DEFAULT_PASSWORD, "198.51.100.99")


def _other_users_success_between_failures(attempt):
    # The reported bypass: 4 wrong, one right sign-in as someone else, repeated: 16 guesses.
    for _ in range(4):
        for _ in range(4):
            attempt("sup.hanoi", WRONG, OFFICE)
        assert attempt("cw.hanoi", DEFAULT_PASSWORD, OFFICE) == "signed_in"
    return attempt("sup.hanoi", DEFAULT_PASSWORD, OFFICE)


def _five_made_up_usernames_then_a_real_user(attempt):
    for n in range(5):
        assert attempt(f"ghost.{n}", WRONG, OFFICE) == "wrong"
    return attempt("cw.hanoi", DEFAULT_PASSWORD, OFFICE)


def _many_failures_from_one_address(attempt):
    for n in range(settings.SHIELD_ADDRESS_BLOCK_FAILURES):
        assert attempt(f"ghost.{n}", WRONG, OFFICE) == "wrong"
    return attempt("cw.hanoi", DEFAULT_PASSWORD, OFFICE)


def _lockout_expiry(attempt):
    for _ in range(5):
        attempt("sup.hanoi", WRONG, OFFICE)
    assert attempt("sup.hanoi", DEFAULT_PASSWORD, OFFICE) == "locked"
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    return attempt("sup.hanoi", DEFAULT_PASSWORD, OFFICE)


def _address_block_expiry(attempt):
    for n in range(settings.SHIELD_ADDRESS_BLOCK_FAILURES):
        attempt(f"ghost.{n}", WRONG, OFFICE)
    assert attempt("cw.hanoi", DEFAULT_PASSWORD, OFFICE) == "blocked"
    SignInAddress.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))
    return attempt("cw.hanoi", DEFAULT_PASSWORD, OFFICE)


def _a_user_from_elsewhere_while_an_address_is_blocked(attempt):
    for n in range(settings.SHIELD_ADDRESS_BLOCK_FAILURES):
        attempt(f"ghost.{n}", WRONG, OFFICE)
    return attempt("cw.hanoi", DEFAULT_PASSWORD, "192.0.2.7")


MATRIX = [
    (_correct_after_four_failures, "signed_in"),
    (_five_failures_then_correct, "locked"),
    (_five_failures_from_five_addresses_then_correct, "locked"),
    (_other_users_success_between_failures, "locked"),
    (_five_made_up_usernames_then_a_real_user, "signed_in"),
    (_many_failures_from_one_address, "blocked"),
    (_lockout_expiry, "signed_in"),
    (_address_block_expiry, "signed_in"),
    (_a_user_from_elsewhere_while_an_address_is_blocked, "signed_in"),
]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(
    ("scenario", "expected"), MATRIX, ids=[scenario.__name__.strip("_") for scenario, _ in MATRIX]
)
def test_lockout_matrix(door, scenario, expected):
    assert scenario(DOORS[door]) == expected


@pytest.mark.parametrize("door", DOORS)
def test_another_users_success_does_not_reset_a_users_failures(door):
    attempt = DOORS[door]
    for _ in range(4):
        attempt("sup.hanoi", WRONG, OFFICE)
    assert attempt("cw.hanoi", DEFAULT_PASSWORD, OFFICE) == "signed_in"
    assert attempt("sup.hanoi", WRONG, OFFICE) == "locked"


@pytest.mark.parametrize("door", DOORS)
def test_a_users_own_success_resets_only_their_failures(door):
    attempt = DOORS[door]
    for _ in range(4):
        attempt("sup.hanoi", WRONG, OFFICE)
        attempt("cw.hanoi", WRONG, OFFICE)
    assert attempt("sup.hanoi", DEFAULT_PASSWORD, OFFICE) == "signed_in"
    assert attempt("sup.hanoi", WRONG, OFFICE) == "wrong"  # count restarted for sup.hanoi
    assert attempt("cw.hanoi", WRONG, OFFICE) == "locked"  # cw.hanoi's four still count


def test_failures_from_an_address_slow_its_answers_progressively_and_boundedly(sign_in_delays):
    for n in range(7):
        _web(f"ghost.{n}", WRONG, OFFICE)
    # The first attempt waits for nothing; each failure doubles the wait, up to the cap.
    assert sign_in_delays == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    # A right password from the same address waits too (the guesser cannot tell it apart in time).
    assert _api("cw.hanoi", DEFAULT_PASSWORD, OFFICE) == "signed_in"
    assert sign_in_delays[-1] == 2.0
    # Another address is not slowed.
    sign_in_delays.clear()
    assert _web("cw.hanoi", DEFAULT_PASSWORD, "192.0.2.7") == "signed_in"
    assert sign_in_delays == []


def test_failures_older_than_the_window_are_forgotten(sign_in_delays):
    for n in range(3):
        _web(f"ghost.{n}", WRONG, OFFICE)
    SignInAddress.objects.update(
        window_started_at=timezone.now()
        - timedelta(minutes=settings.SHIELD_ADDRESS_WINDOW_MINUTES, seconds=1)
    )
    sign_in_delays.clear()
    assert _web("cw.hanoi", DEFAULT_PASSWORD, OFFICE) == "signed_in"
    assert sign_in_delays == []
    _web("ghost.x", WRONG, OFFICE)
    assert SignInAddress.objects.get(ip_address=OFFICE).failures == 1


def test_the_address_count_is_kept_in_the_database_for_every_worker():
    for n in range(3):
        _api(f"ghost.{n}", WRONG, OFFICE)
    assert SignInAddress.objects.get(ip_address=OFFICE).failures == 3


def test_a_success_from_the_address_does_not_reset_its_count():
    for n in range(3):
        _web(f"ghost.{n}", WRONG, OFFICE)
    assert _web("cw.hanoi", DEFAULT_PASSWORD, OFFICE) == "signed_in"
    assert SignInAddress.objects.get(ip_address=OFFICE).failures == 3


def test_a_blocked_address_checks_no_password_and_counts_nothing_against_accounts():
    for n in range(settings.SHIELD_ADDRESS_BLOCK_FAILURES):
        _web(f"ghost.{n}", WRONG, OFFICE)
    failed_before = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count()
    for _ in range(10):
        assert _web("sup.hanoi", WRONG, OFFICE) == "blocked"
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == failed_before
    # sup.hanoi's own count was not touched: from elsewhere the right password works.
    assert _api("sup.hanoi", DEFAULT_PASSWORD, "192.0.2.7") == "signed_in"


def test_a_locked_account_is_audited_once_per_lock():
    for _ in range(5):
        _web("sup.hanoi", WRONG, OFFICE)
    for _ in range(4):
        assert _api("sup.hanoi", DEFAULT_PASSWORD, "192.0.2.7") == "locked"
    events = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT)
    assert events.count() == 1
    assert events.get().object_id == str(member(Role.CASE_WORKER, username="sup.hanoi").pk)


def test_a_blocked_address_is_audited_once_per_block():
    for n in range(settings.SHIELD_ADDRESS_BLOCK_FAILURES + 10):
        _web(f"ghost.{n}", WRONG, OFFICE)
    event = AuditEvent.objects.get(action=AuditAction.ADDRESS_BLOCKED)
    assert event.ip_address == OFFICE
    assert event.object_id == str(SignInAddress.objects.get(ip_address=OFFICE).pk)
    assert not AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()


def test_the_admin_sign_in_is_guarded_too():
    for n in range(settings.SHIELD_ADDRESS_BLOCK_FAILURES):
        _web(f"ghost.{n}", WRONG, OFFICE)
    response = Client(REMOTE_ADDR=OFFICE).post(
        "/admin/login/", {"username": "cw.hanoi", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429


def test_the_lock_is_not_extended_by_attempts_during_it():
    for _ in range(5):
        _web("sup.hanoi", WRONG, OFFICE)
    before = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    for _ in range(3):
        _web("sup.hanoi", WRONG, OFFICE)
    assert list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start")) == before


def test_an_ipv6_client_counts_for_its_whole_slash_64():
    for n in range(3):
        _web(f"ghost.{n}", WRONG, f"2001:db8:1:2::{n + 1}")
    assert SignInAddress.objects.get(ip_address="2001:db8:1:2::").failures == 3
