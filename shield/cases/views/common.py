"""What every case page shares: finding the case, refusing, and rendering the case page or its tab.

The case page is one template (`cases/case_detail.html`) whose `main` partial holds the header, the
tabs and the open tab. A tab is its own URL (`?tab=notes`), so every tab works without JavaScript;
htmx loads tabs and answers forms with only the `main` partial. A full page, and a tab loaded with
htmx, record a `view` audit event; the answer to a form does not (the service audited the write).
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.cases import presenters, selectors
from shield.cases.models import Case, CaseType
from shield.cases.views.tabs import tab_context
from shield.core.access import AccessSubject
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
from shield.core.htmx import is_htmx, render_page_or_partial
from shield.people.selectors import display_name_for

CASE_TYPE = Case._meta.label_lower
VIEW = selectors.VIEW
EDIT = selectors.EDIT
SUPERVISE = selectors.SUPERVISE

# Refusals a form shows to the user who filled it (the others answer 403 or 404).
FORM_ERRORS = (ValidationFailed, InvalidTransition, StaleVersion, VersionRequired)

TABS: tuple[tuple[str, Any], ...] = (
    ("overview", _("Overview")),
    ("identification", _("Identification")),
    ("trafficking", _("Trafficking details")),
    ("assessment", _("Assessment")),
    ("plan", _("Care plan")),
    ("notes", _("Notes")),
    ("consent", _("Consent")),
    ("transfer", _("Transfer")),
    ("closure", _("Closure")),
    ("history", _("History")),
)
TAB_KEYS = frozenset(key for key, _label in TABS)

# Tabs that only some case types have (every other tab belongs to every case): victim identification
# and the trafficking details concern a possible trafficking victim, never a child in conflict with
# the law, a child witness or a child victim of abuse.
TAB_CASE_TYPES: dict[str, frozenset[str]] = {
    "identification": frozenset(
        {CaseType.TRAFFICKING_VICTIM, CaseType.UNDERGOING_IDENTIFICATION, CaseType.AT_RISK_MIGRANT}
    ),
    "trafficking": frozenset(
        {CaseType.TRAFFICKING_VICTIM, CaseType.UNDERGOING_IDENTIFICATION, CaseType.AT_RISK_MIGRANT}
    ),
}


def tabs_for(case: Case) -> tuple[tuple[str, Any], ...]:
    """The case's tabs, in order: those of its type."""
    return tuple(
        (key, label) for key, label in TABS if case.case_type in TAB_CASE_TYPES.get(key, (case.case_type,))
    )


def require_tab(case: Case, tab: str) -> None:
    """A tab (or a write to it) the case's type does not have is not found."""
    if tab in TAB_CASE_TYPES and case.case_type not in TAB_CASE_TYPES[tab]:
        raise Http404


View = Callable[..., HttpResponse]


def user_of(request: HttpRequest) -> User:
    # require_permission has run: a signed-in accounts.User.
    return cast(User, request.user)


def viewer(user: User) -> AccessSubject:
    # accounts.User is the AccessSubject people's selectors take; only has_perm's type hints differ.
    return cast(AccessSubject, user)


def get_case(user: User, case_id: uuid.UUID | str) -> Case:
    try:
        return selectors.case_get_for(user=user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc


def refuse(request: HttpRequest, case: Case) -> HttpResponse:
    return permission_denied(request, object_type=CASE_TYPE, object_id=str(case.pk))


def tab_url(case: Case, tab: str = "overview") -> str:
    url = reverse("cases:case_detail", args=[case.pk])
    return url if tab == "overview" else f"{url}?tab={tab}"


def case_action(permission: str) -> Callable[[View], View]:
    """A form posted to a case: sign-in, the role's permission (403), the case in the user's reach
    (404), then the view(request, user, case, **kwargs). A service's NotFound answers 404 and its
    PermissionRefused the audited 403 page; other refusals are the view's to show on its form."""

    def decorate(view: View) -> View:
        @require_permission(permission, object_type=CASE_TYPE)
        @require_POST
        @wraps(view)
        def wrapped(request: HttpRequest, case_id: uuid.UUID, **kwargs: Any) -> HttpResponse:
            user = user_of(request)
            case = get_case(user, case_id)
            try:
                return view(request, user, case, **kwargs)
            except NotFound as exc:
                raise Http404 from exc
            except PermissionRefused:
                return refuse(request, case)

        return wrapped

    return decorate


def show_refusal(form: Form, error: ApplicationError) -> None:
    """A service's refusal on the form: field errors on their fields and, when the service also
    said what to do as a whole ("record their consent first"), that sentence on top."""
    add_application_error(form, error)
    if error.field_errors and error.message != str(type(error).default_message):
        form.add_error(None, error.message)


def header_context(user: User, case: Case) -> dict[str, Any]:
    """What the case's header needs: its person's name as this user may see it, what they may do."""
    name = display_name_for(user=viewer(user), person=case.person)
    return {
        "case": case,
        "person_name": name,
        "name_hidden": name != case.person.full_name,
        "stage_badge": presenters.STAGE_BADGES.get(case.stage, "text-bg-secondary"),
        "risk_badge": presenters.RISK_BADGES.get(case.risk_level, "text-bg-secondary"),
        "can_edit": selectors.can_edit(user=user, case=case),
        "reads_narratives": selectors.reads_narratives(user),
        "can_see_person": user.has_perm("people.view"),
    }


def case_page(
    request: HttpRequest,
    user: User,
    case: Case,
    tab: str,
    *,
    audited: bool,
    notice: str = "",
    **extra: Any,
) -> HttpResponse:
    """The case page at `tab` (or, for htmx, its `main` partial); `extra` overrides the tab's
    default context (a bound form with its errors, a confirmation to ask)."""
    tab = tab if tab in TAB_KEYS else "overview"
    require_tab(case, tab)
    context = header_context(user, case)
    context.update(tabs=tabs_for(case), tab=tab, tab_template=f"cases/tabs/{tab}.html", notice=notice)
    context.update(tab_context(tab, user, case, context, extra))
    context.update(extra)
    response = render_page_or_partial(request, "cases/case_detail.html", context, partial="main")
    if audited:
        audit.record(action=AuditAction.VIEW, actor=user, obj=case)
    return response


def form_page(request: HttpRequest, user: User, case: Case, tab: str, **extra: Any) -> HttpResponse:
    """A form's answer when it was refused: the tab again with the form as filled and its errors.
    A whole page is a read of the case, so it is audited; an htmx fragment answers the poster."""
    return case_page(request, user, case, tab, audited=not is_htmx(request), **extra)


def saved(request: HttpRequest, user: User, case: Case, tab: str, message: str) -> HttpResponse:
    """A form's answer when the service did it: without JavaScript, back to the tab (post, redirect,
    get); with htmx, the tab as it is now, the message on top and the address of the tab."""
    if not is_htmx(request):
        messages.success(request, message)
        return HttpResponseRedirect(tab_url(case, tab))
    fresh = (
        selectors.case_get_for(user=user, case_id=case.pk)
        if selectors.can_view(user=user, case=case)
        else None
    )
    if fresh is None:
        # The write took the case out of the user's reach (a transfer accepted away from them).
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("cases:case_list")
        messages.success(request, message)
        return response
    response = case_page(request, user, fresh, tab, audited=False, notice=message)
    # Inline edits target their own field; the whole case is redrawn so every version is current.
    response["HX-Retarget"] = "#case-main"
    response["HX-Reswap"] = "outerHTML"
    response["HX-Push-Url"] = tab_url(fresh, tab)
    return response


def submit(
    request: HttpRequest,
    user: User,
    case: Case,
    tab: str,
    *,
    form: Form,
    act: Callable[[dict[str, Any]], object],
    message: str,
    **refused: Any,
) -> HttpResponse:
    """The shape every case form shares: validate, call the service with the cleaned data, then
    answer `saved`, or the tab again with the form and the service's refusal on it. `refused`
    puts the refused form (and anything else the tab needs) into the tab's context."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except FORM_ERRORS as exc:
            show_refusal(form, exc)
        else:
            return saved(request, user, case, tab, message)
    return form_page(request, user, case, tab, **refused)
