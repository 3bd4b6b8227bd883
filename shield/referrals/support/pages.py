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


def form_step(
    request: HttpRequest,
    *,
    form: forms.Form,
    write: Callable[[dict[str, Any]], object],
    done: str,
    redirect_to: Callable[[Any], str],
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
) -> HttpResponse:
    """One write behind a form: on a valid POST run `write(cleaned_data)`; a refusal the user can
    fix (stale version, invalid step, field errors) goes on the form and the page answers 400;
    success says `done` and redirects to `redirect_to(what write returned)`. `context` may be a
    function, so a page read only when the form is shown is not read on success."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ApplicationError as error:
            if not refused_on_form(form, error):
                raise
        else:
            messages.success(request, done)
            return HttpResponseRedirect(redirect_to(result))
    shown = context() if callable(context) else context
    return render(request, template, shown, status=400 if form.errors else 200)


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
    """A versioned write that needs a reason (void a delivery, release a bed)."""
    return form_step(
        request,
        form=form,
        write=lambda data: write(data["version"], data["reason"]),
        done=done,
        redirect_to=lambda _: redirect_to,
        template=template,
        context=context,
    )
