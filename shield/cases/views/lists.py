"""The case list and opening a case."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shield import audit
from shield.audit.models import AuditAction
from shield.audit.refusals import require_permission
from shield.cases import forms, presenters, selectors, services
from shield.cases.views.common import CASE_TYPE, EDIT, FORM_ERRORS, VIEW, show_refusal, user_of, viewer
from shield.core import saved_searches
from shield.core.errors import NotFound, PermissionRefused
from shield.core.htmx import render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.people import selectors as people_selectors
from shield.people.models import Person

PAGE_SIZE = 25
SEARCH_SCOPE = "cases"
PICK_SCOPE = "case-person"
PEOPLE_SHOWN = 10
# In a work queue, a case's link opens the tab where the waiting work is done.
QUEUE_TABS = {selectors.QUEUE_INCOMING: "transfer", selectors.QUEUE_OVERDUE: "plan"}


@require_permission(VIEW, object_type=CASE_TYPE)
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases, filtered. The filter form posts: a name searched stays out of the URL (`saved_searches`)."""
    fields = forms.CaseFilterForm.FILTER_NAMES
    if moved := saved_searches.redirect_to_key(
        request, scope=SEARCH_SCOPE, fields=fields, text_fields=("q",)
    ):
        return moved
    data, expired = saved_searches.search_data(request, scope=SEARCH_SCOPE)
    user = user_of(request)
    form = forms.CaseFilterForm(data, agencies=presenters.agencies_for_filter(user=user))
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "rows": [],
        "filtered": form.has_filters(),
        "search_expired": expired,
        "can_open": user.has_perm(EDIT),
    }
    if form.is_valid():
        filters = form.filters()
        cases = selectors.case_list_for(user=user, filters=filters)
        page = CappedPaginator(cases, PAGE_SIZE, count_in_order=False).get_page(request.GET.get("page"))
        context.update(
            page=page,
            rows=presenters.case_rows(user=user, cases=list(page.object_list)),
            row_tab=QUEUE_TABS.get(filters.queue, ""),
        )
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=CASE_TYPE,
            search=filters.search,
            details={"filters": sorted(name for name in fields if data.get(name))},
        )
    return render_page_or_partial(request, "cases/case_list.html", context, partial="results")


def _person_for(user: Any, person_id: Any) -> Person:
    try:
        return people_selectors.person_get_for(user=user, person_id=person_id)
    except NotFound as exc:
        raise Http404 from exc


def _open_form(user: Any, *args: Any, **kwargs: Any) -> forms.CaseOpenForm:
    agencies = presenters.agencies_where_user_opens_cases(user=user)
    return forms.CaseOpenForm(
        *args, agencies=agencies, workers=presenters.case_workers_of(agencies), **kwargs
    )


def _pick_person(request: HttpRequest, user: Any) -> HttpResponse:
    """Without a person: find one in the registry (names masked as the list masks them). The name
    typed is moved out of the URL once (`saved_searches`): the page's address keeps only a key."""
    if moved := saved_searches.redirect_to_key(request, scope=PICK_SCOPE, fields=("q",), text_fields=("q",)):
        return moved
    search, _expired = saved_searches.search_data(request, scope=PICK_SCOPE)
    pick = forms.PersonPickForm(search)
    found: list[tuple[Person, str]] = []
    searched = False
    if pick.is_valid() and (pick.cleaned_data.get("q") or "").strip():
        searched = True
        persons = people_selectors.person_list_for(user=user, q=pick.cleaned_data["q"])[:PEOPLE_SHOWN]
        found = [(p, people_selectors.display_name_for(user=user, person=p)) for p in persons]
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=Person._meta.label_lower,
            search=pick.cleaned_data["q"],
            details={"filters": ["q"]},
        )
    context = {"pick_form": pick, "found": found, "searched": searched, "person": None}
    return render_page_or_partial(request, "cases/case_form.html", context, partial="people")


@require_permission(EDIT, object_type=CASE_TYPE)
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not presenters.agencies_where_user_opens_cases(user=user):
        raise Http404
    if request.method == "GET":
        if not request.GET.get("person"):
            return _pick_person(request, user)
        person = _person_for(user, request.GET["person"])
        form = _open_form(user, initial={"person": person.pk, "assigned_worker": user.pk})
    else:
        form = _open_form(user, request.POST)
        person = _person_for(user, request.POST.get("person"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_open(
                    actor=user,
                    person=person,
                    case_type=data["case_type"],
                    owner_agency=data["owner_agency"],
                    reported_at=data.get("reported_at"),
                    risk_level=data["risk_level"],
                    assigned_worker=data.get("assigned_worker"),
                )
            except NotFound as exc:
                raise Http404 from exc
            except (PermissionRefused, *FORM_ERRORS) as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request, _("The case %(reference)s was opened.") % {"reference": case.reference}
                )
                return HttpResponseRedirect(reverse("cases:case_detail", args=[case.pk]))
    name = people_selectors.display_name_for(user=viewer(user), person=person)
    return render(request, "cases/case_form.html", {"form": form, "person": person, "person_name": name})
