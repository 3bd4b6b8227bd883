"""Password sign-in guarded twice: a lock per account and a throttle per client address.

The web sign-in (SignInForm, the admin's login form) and the API token both call
`authenticate_guarded`, so they refuse the same attempts in the same way.

- Per account (django-axes, keyed on the username alone): `SHIELD_LOCKOUT_FAILURES` wrong
  passwords for one username, from any address, lock that username for `SHIELD_LOCKOUT_MINUTES`.
  A success resets that username's failures and no one else's.
- Per address (`SignInAddress`, in the database so every server worker counts together): each
  failure from an address, whatever the username, makes its next answers slower, up to
  `SHIELD_ADDRESS_DELAY_MAX_MS`; `SHIELD_ADDRESS_BLOCK_FAILURES` failures within
  `SHIELD_ADDRESS_WINDOW_MINUTES` block the address for `SHIELD_ADDRESS_BLOCK_MINUTES`.

During an address block no password is checked, the right one included: a block that let right
passwords through would tell the guesser which guess was right, and guessing would go on at full
speed. Real users behind the same address wait out a short block instead of being locked out of
their account, and they keep their own per-account count.
"""

import ipaddress
import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as reset_attempts
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield import audit
from shield.accounts.models import SignInAddress, User
from shield.audit.models import AuditAction
from shield.core.middleware import client_ip

# How the progressive delay waits; tests replace it so they do not sleep.
sleep: Callable[[float], None] = time.sleep


class SignInRefused(Exception):
    """The attempt was refused before the password was looked at."""

    message = _("Too many failed sign-in attempts.")

    def __init__(self, retry_after: int) -> None:
        super().__init__(str(self.message))
        self.retry_after = retry_after


class AccountLocked(SignInRefused):
    message = _("Too many failed sign-in attempts: this account is locked for a while.")


class AddressBlocked(SignInRefused):
    message = _("Too many failed sign-in attempts from your network: try again in a few minutes.")


def authenticate_guarded(request: HttpRequest, *, username: str, password: str) -> User | None:
    """The user whose password this is, or None for a wrong username or password.

    Raises AddressBlocked or AccountLocked (and marks the request for AxesMiddleware, which turns
    it into the lockout answer, see shield.accounts.lockout) when the attempt is refused unread.
    """
    address = throttle_key(client_ip(request))
    now = timezone.now()
    state = SignInAddress.objects.filter(ip_address=address).first() if address else None
    if state is not None and state.blocked_until is not None and state.blocked_until > now:
        retry_after = math.ceil((state.blocked_until - now).total_seconds())
        _mark_refused(request, address_blocked=True, retry_after=retry_after)
        raise AddressBlocked(retry_after=retry_after)
    delay = address_delay(state, now=now)
    if delay:
        sleep(delay)
    lockout_seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if AxesProxyHandler.is_locked(request, {"username": username}):
        # Refused unread: no failure is counted, so waiting out the lock ends it.
        _mark_refused(request, address_blocked=False, retry_after=lockout_seconds)
        raise AccountLocked(retry_after=lockout_seconds)
    user = authenticate(request, username=username, password=password)
    if isinstance(user, User):
        # Only this username's failures; axes does the same on login(), which the API never calls.
        reset_attempts(username=username)
        return user
    if address:
        address_failure_record(address=address)
    if getattr(request, "axes_locked_out", False):  # this failure was the one that locked the account
        _mark_refused(request, address_blocked=False, retry_after=lockout_seconds)
        raise AccountLocked(retry_after=lockout_seconds)
    return None


def throttle_key(address: str | None) -> str | None:
    """The address the throttle counts for: an IPv6 client counts for its whole /64, which one
    household or host usually gets, so rotating through it does not escape the count."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _mark_refused(request: HttpRequest, *, address_blocked: bool, retry_after: int) -> None:
    request.axes_locked_out = True  # type: ignore[attr-defined]
    request.shield_address_blocked = address_blocked  # type: ignore[attr-defined]
    request.shield_retry_after = retry_after  # type: ignore[attr-defined]


def _window() -> timedelta:
    return timedelta(minutes=settings.SHIELD_ADDRESS_WINDOW_MINUTES)


def address_delay(state: SignInAddress | None, *, now: datetime) -> float:
    """Seconds to wait before answering: doubles with each failure in the window, capped."""
    if state is None or state.failures == 0 or state.window_started_at + _window() < now:
        return 0.0
    milliseconds = settings.SHIELD_ADDRESS_DELAY_MS * 2 ** min(state.failures - 1, 16)
    return float(min(milliseconds, settings.SHIELD_ADDRESS_DELAY_MAX_MS)) / 1000


@transaction.atomic
def address_failure_record(*, address: str) -> SignInAddress:
    """Count one failed sign-in from `address`; the failure that reaches the limit blocks it.

    The row is locked while it is counted, so failures arriving at several workers at once are
    all counted and the block (with its one audit event) is written once.
    """
    now = timezone.now()
    state, _created = SignInAddress.objects.select_for_update().get_or_create(
        ip_address=address, defaults={"window_started_at": now}
    )
    if state.window_started_at + _window() < now:
        state.failures = 0
        state.window_started_at = now
    state.failures += 1
    if state.failures >= settings.SHIELD_ADDRESS_BLOCK_FAILURES:
        state.blocked_until = now + timedelta(minutes=settings.SHIELD_ADDRESS_BLOCK_MINUTES)
        # The count starts again when the block ends.
        state.failures = 0
        state.window_started_at = state.blocked_until
        audit.record(action=AuditAction.ADDRESS_BLOCKED, obj=state)
    state.save(update_fields=["failures", "window_started_at", "blocked_until", "updated_at"])
    return state
