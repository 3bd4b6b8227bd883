"""What the care pages share: refusing by role (audited), turning service refusals into answers."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from shield.audit.refusals import permission_denied
from shield.core.errors import (
    ApplicationError,
    InvalidTransition,
    NotFound,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.core.forms import add_application_error

View = Callable[..., HttpResponse]
# Refusals a form shows to the user who filled it (the others answer 403 or 404).
FORM_ERRORS = (ValidationFailed, InvalidTransition, StaleVersion, VersionRequired)


def require_any(*permissions: str, object_type: str = "") -> Callable[[View], View]:
    """Sign-in first; then a user holding none of `permissions` gets the audited 403 page."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(request.user.has_perm(p) for p in permissions):
                object_id = next((str(v) for v in kwargs.values()), "")
                return permission_denied(request, object_type=object_type, object_id=object_id)
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404() from exc
            except PermissionRefused:
                object_id = next((str(v) for v in kwargs.values()), "")
                return permission_denied(request, object_type=object_type, object_id=object_id)

        return wrapped

    return decorate


def refused_on_form(form: forms.BaseForm, error: ApplicationError) -> bool:
    """Put a refusal the user can fix on the form (True); others propagate to the decorator."""
    if isinstance(error, FORM_ERRORS):
        add_application_error(form, error)
        return True
    return False


def reasoned_step(
    request: HttpRequest,
    *,
    form: forms.Form,
    write: Callable[[int, str], object],
    done: str,
    redirect_to: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A versioned write that needs a reason (void a delivery, release a bed): on a valid POST run
    `write(version, reason)`; a refusal the user can fix goes on the form, success redirects."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data["version"], form.cleaned_data["reason"])
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, done)
            return HttpResponseRedirect(redirect_to)
    return render(request, template, context, status=400 if form.errors else 200)
