"""Audit events for sign-in, sign-out, failed sign-in and lockout.

Django and django-axes announce these only through signals, so the receivers here are the
one place they can be recorded; they write audit events, and a lockout also revokes the account's
API tokens (through the token service).
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from shield import audit
from shield.accounts import token_services
from shield.accounts.models import User
from shield.accounts.token_models import RevokeReason
from shield.audit.models import AuditAction


def _on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit.record(action=AuditAction.LOGIN, actor=user, obj=user)


def _on_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action=AuditAction.LOGOUT, actor=user, obj=user)


def _attempted_user(credentials: dict[str, Any]) -> tuple[str, User | None]:
    username = str(credentials.get("username") or "")[:150]
    return username, User.objects.filter(username=username).first() if username else None


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username, user = _attempted_user(credentials)
    audit.record(
        action=AuditAction.LOGIN_FAILED,
        agency=user.primary_agency if user else None,
        object_type="accounts.user",
        object_id=str(user.pk) if user else username,
    )


def _on_locked_out(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    # axes announces the failure that locks the account (it has just counted the failures) and
    # again every attempt refused while the lock lasts (nothing counted): only the first is news.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    name, user = _attempted_user({"username": username})
    audit.record(
        action=AuditAction.LOCKED_OUT,
        agency=user.primary_agency if user else None,
        object_type="accounts.user",
        object_id=str(user.pk) if user else name,
    )
    if user is not None:
        # Someone is guessing this account's password: tokens already handed out end with it too.
        token_services.api_tokens_revoke(actor=None, user=user, reason=RevokeReason.LOCKED_OUT)


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="shield_audit_login")
    user_logged_out.connect(_on_logout, dispatch_uid="shield_audit_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="shield_audit_login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="shield_audit_locked_out")
