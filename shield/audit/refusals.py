"""Refusing a page a role does not allow: a 403 page and a `permission_denied` audit event."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shield.audit.models import AuditAction
from shield.audit.services import record

View = Callable[..., HttpResponse]


def permission_denied(request: HttpRequest, *, object_type: str = "", object_id: str = "") -> HttpResponse:
    if not object_type and request.resolver_match is not None:
        object_type = request.resolver_match.view_name
    record(
        action=AuditAction.PERMISSION_DENIED,
        actor=request.user,
        object_type=object_type,
        object_id=object_id,
    )
    return render(request, "403.html", status=403)


def require_permission(permission: str, *, object_type: str = "") -> Callable[[View], View]:
    """Sign-in first; then a user without `permission` gets the audited 403 page."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                object_id = next((str(v) for v in kwargs.values()), "")
                return permission_denied(request, object_type=object_type, object_id=object_id)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
