"""Auditor pages: the audit log and single events. Every read of them is itself audited."""

import uuid
from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from shield.audit import reasons, selectors
from shield.audit.forms import EventFilterForm
from shield.audit.models import AuditAction, AuditEvent
from shield.audit.refusals import permission_denied
from shield.audit.services import record
from shield.core import saved_searches
from shield.core.access import AccessSubject
from shield.core.errors import NotFound
from shield.core.htmx import render_page_or_partial
from shield.core.pagination import CappedPaginator

PAGE_SIZE = 50
EVENT_TYPE = AuditEvent._meta.label_lower
SEARCH_SCOPE = "audit"


def _viewer(request: HttpRequest) -> AccessSubject:
    # login_required has run, so this is a signed-in accounts.User; audit may not import accounts.
    return cast(AccessSubject, request.user)


def _refuse(request: HttpRequest, *, object_id: str = "") -> HttpResponse:
    return permission_denied(request, object_type=EVENT_TYPE, object_id=object_id)


@login_required
@require_http_methods(["GET", "POST"])
def event_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    if not viewer.has_perm(selectors.VIEW_PERMISSION):
        return _refuse(request)
    # The words an auditor looks for are names too: kept out of the URL like any search of persons.
    fields = EventFilterForm.FILTER_NAMES
    if moved := saved_searches.redirect_to_key(
        request, scope=SEARCH_SCOPE, fields=fields, text_fields=("search_term",)
    ):
        return moved
    data, expired = saved_searches.search_data(request, scope=SEARCH_SCOPE)
    form = EventFilterForm(data, agencies=selectors.agencies_for_filter(user=viewer))
    context: dict[str, object] = {"form": form, "page": None, "events": [], "search_expired": expired}
    if form.is_valid():
        filters = form.filters()
        page = CappedPaginator(selectors.event_list_for(user=viewer, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        # Read the page before recording, so the page never shows the record of its own reading.
        context.update(page=page, events=list(page.object_list))
        record(
            action=AuditAction.LIST, actor=request.user, object_type=EVENT_TYPE, search=filters.search_term
        )
    return render_page_or_partial(request, "audit/event_list.html", context, partial="results")


@login_required
@require_GET
def event_detail(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    viewer = _viewer(request)
    if not viewer.has_perm(selectors.VIEW_PERMISSION):
        return _refuse(request, object_id=str(event_id))
    try:
        event = selectors.event_get_for(user=viewer, event_id=event_id)
    except NotFound as exc:
        raise Http404 from exc
    record(action=AuditAction.VIEW, actor=request.user, obj=event)
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "hash_matches": event.compute_hash() == event.hash,
            # The event holds a reference; the reason itself is read (decrypted) from its record.
            "reason": reasons.expand(event.reason),
        },
    )
