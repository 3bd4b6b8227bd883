"""Writes to API tokens: issue, record use, revoke. Each audited with the token as the object
(its id; the secret never reaches the log)."""

import datetime
import hashlib
import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from shield import audit
from shield.accounts import policy
from shield.accounts.models import Agency, User
from shield.accounts.token_models import ApiToken, RevokeReason
from shield.audit.models import AuditAction

# A use is written back at most this often per token, so a client calling many times a minute
# costs no write per call; a use from another address is written (and audited) at once.
TOUCH_SECONDS = 60
# Longer than any key we issue (8 + 1 + 43 characters); longer input is refused before hashing.
MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the secret: handed to the client once and never stored


def key_hash(key: str) -> str:
    """SHA-256 suffices (no slow hash): the secret is 256 random bits, not a password."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.SHIELD_API_TOKEN_HOURS)


def client_address(value: str | None) -> str | None:
    """The address as the column stores it (IPv6 compressed), or None when it is not an address.

    Compared with the stored last address, a differently written IPv6 form would count as a new
    address on every request; a malformed one (a forged X-Forwarded-For) would fail the write.
    """
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


def _owner_agency(user: User) -> Agency | None:
    # Token events belong to the owner's agency, so that agency's auditors see them whoever acted.
    return user.primary_agency


@transaction.atomic
def api_token_issue(*, user: User, two_factor: bool, ip: str | None) -> IssuedToken:
    """A new token on every call: asking again never hands back an earlier secret."""
    prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        prefix=prefix,
        key_hash=key_hash(key),
        created_ip=client_address(ip),
        expires_at=timezone.now() + lifetime(),
        two_factor=two_factor,
    )
    audit.record(
        action=AuditAction.TOKEN_ISSUE,
        actor=user,
        agency=_owner_agency(user),
        obj=token,
        changed_fields=["two_factor"] if two_factor else [],
    )
    return IssuedToken(token=token, key=key)


def api_token_record_use(*, token: ApiToken, ip: str | None) -> None:
    """Remember when and from where a token was last used.

    Within `TOUCH_SECONDS` of the last recorded use from the same address nothing is written; a use
    from another address is always written and audited, as a stolen token would show.
    """
    now = timezone.now()
    ip = client_address(ip)
    new_address = ip is not None and ip != (token.last_used_ip or token.created_ip)
    stale = token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOUCH_SECONDS
    if not (new_address or stale):
        return
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
        if new_address:
            audit.record(
                action=AuditAction.TOKEN_NEW_ADDRESS,
                actor=token.user,
                agency=_owner_agency(token.user),
                obj=token,
                ip_address=ip,
            )
    token.last_used_at, token.last_used_ip = now, ip


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken, reason: str) -> bool:
    """Revoke one token; False when it was already revoked (nothing written twice)."""
    if reason not in RevokeReason.values:
        raise ValueError(f"unknown revoke reason {reason!r}")
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now,
        revoked_by=actor if actor is not None and actor.is_authenticated else None,
        revoke_reason=reason,
        updated_at=now,
    )
    if not changed:
        token.refresh_from_db()
        return False
    token.refresh_from_db()
    audit.record(
        action=AuditAction.TOKEN_REVOKE,
        actor=actor,
        agency=_owner_agency(token.user),
        obj=token,
        changed_fields=["revoked_at", "revoke_reason"],
        reason=reason,
    )
    return True


@transaction.atomic
def api_tokens_revoke(
    *, actor: User | None, user: User, reason: str, only_without_two_factor: bool = False
) -> int:
    """Revoke every live token of `user` (only those issued without a two-factor check when asked);
    the one place a password change, deactivation, lockout or a role needing two-factor ends them.
    Returns how many were revoked, each with its own audit event."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
    if only_without_two_factor:
        live = live.filter(two_factor=False)
    return sum(
        api_token_revoke(actor=actor, token=token, reason=reason) for token in live.select_related("user")
    )


def needs_two_factor_now(user: User) -> bool:
    """Whether the user's role requires two-factor sign-in, from a fresh read of their memberships
    (the instance in hand may cache memberships from before the change)."""
    fresh = User.objects.filter(pk=user.pk).first()
    return fresh is not None and policy.requires_two_factor(fresh)


def api_tokens_enforce_two_factor(*, actor: User | None, user: User) -> int:
    """After a role change: a role that now requires two-factor sign-in ends the tokens issued
    without it (the authentication check refuses them too; this makes it visible and audited)."""
    if not needs_two_factor_now(user):
        return 0
    return api_tokens_revoke(
        actor=actor, user=user, reason=RevokeReason.TWO_FACTOR_REQUIRED, only_without_two_factor=True
    )


def api_tokens_enforce_agency_roles(*, actor: User | None, agency: Agency, roles: Iterable[str]) -> int:
    """After an agency adds roles that must use two-factor sign-in: its members in those roles lose
    the tokens issued without it."""
    roles = list(roles)
    if not roles:
        return 0
    holders = User.objects.filter(
        Q(memberships__agency=agency, memberships__role__in=roles, memberships__is_active=True),
        api_tokens__revoked_at__isnull=True,
        api_tokens__two_factor=False,
        api_tokens__expires_at__gt=timezone.now(),
    ).distinct()
    return sum(api_tokens_enforce_two_factor(actor=actor, user=user) for user in holders)
