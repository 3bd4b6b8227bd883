"""Auditor pages: the audit log and single events. Every read of them is itself audited."""

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shield.audit import reasons, references, selectors, verifications
from shield.audit.forms import EventFilterForm
from shield.audit.models import AuditAction, AuditEvent, ChainVerification
from shield.audit.refusals import permission_denied
from shield.audit.selectors import EventFilters
from shield.audit.services import record
from shield.core import saved_searches
from shield.core.access import AccessSubject
from shield.core.errors import ApplicationError, NotFound
from shield.core.htmx import render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.core.spreadsheets import csv_lines

PAGE_SIZE = 50
# Rows in one CSV export: beyond this the auditor narrows the filters (a file of a few MB).
DEFAULT_EXPORT_MAX_ROWS = 50_000
VERIFICATION_TYPE = ChainVerification._meta.label_lower


@dataclass(frozen=True)
class EventRow:
    """An event as the list shows it: its type in words and its object's reference."""

    event: AuditEvent
    type_label: str
    reference: references.Reference | None


def _rows(user: AccessSubject, events: list[AuditEvent]) -> list[EventRow]:
    found = references.resolve(user=user, events=events)
    labels = {t: references.type_label(t) for t in {e.object_type for e in events}}
    return [EventRow(e, labels[e.object_type], found.get((e.object_type, e.object_id))) for e in events]


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
    export_query = request.GET.copy()
    export_query.pop("page", None)
    context: dict[str, object] = {
        "form": form,
        "page": None,
        "events": [],
        "rows": [],
        "search_expired": expired,
        "export_query": export_query.urlencode(),
    }
    if form.is_valid():
        filters = form.filters()
        page = CappedPaginator(selectors.event_list_for(user=viewer, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        # Read the page before recording, so the page never shows the record of its own reading.
        events = list(page.object_list)
        context.update(page=page, events=events, rows=_rows(viewer, events))
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


# --- CSV export -----------------------------------------------------------------------------


def _export_max_rows() -> int:
    return max(int(getattr(settings, "SHIELD_AUDIT_EXPORT_MAX_ROWS", DEFAULT_EXPORT_MAX_ROWS)), 1)


def _filters_used(filters: EventFilters) -> list[str]:
    """The names of the filters set (their values may be words searched for: never recorded)."""
    return sorted(name for name, value in vars(filters).items() if value not in ("", None))


EXPORT_HEADER = [
    "sequence",
    "time",
    "actor",
    "agency",
    "action",
    "object_type",
    "object_type_label",
    "object_id",
    "object_reference",
    "changed_fields",
    "ip_address",
    "request_id",
]


def _export_rows(user: AccessSubject, events: Iterable[AuditEvent]) -> Iterator[list[object]]:
    # References are resolved a chunk at a time, so a long export costs a few queries per chunk.
    chunk: list[AuditEvent] = []

    def flush() -> Iterator[list[object]]:
        for row in _rows(user, chunk):
            e = row.event
            yield [
                e.sequence,
                timezone.localtime(e.occurred_at).isoformat(),
                e.actor_username,
                str(e.agency) if e.agency else "",
                e.get_action_display(),
                e.object_type,
                row.type_label,
                e.object_id,
                row.reference.text if row.reference else "",
                " ".join(e.changed_fields),
                e.ip_address or "",
                e.request_id,
            ]

    for event in events:
        chunk.append(event)
        if len(chunk) == 500:
            yield from flush()
            chunk = []
    yield from flush()


@login_required
@require_GET
def event_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered slice of the list as CSV, streamed; the export itself is an audited event."""
    viewer = _viewer(request)
    if not viewer.has_perm(selectors.VIEW_PERMISSION):
        return _refuse(request)
    data, expired = saved_searches.search_data(request, scope=SEARCH_SCOPE)
    form = EventFilterForm(data, agencies=selectors.agencies_for_filter(user=viewer))
    list_url = f"{reverse('audit:event_list')}?{request.GET.urlencode()}"
    if expired or not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return HttpResponseRedirect(list_url)
    filters = form.filters()
    events = selectors.event_list_for(user=viewer, filters=filters)
    cap = _export_max_rows()
    # The slice is fixed before the export's own event is written, so the file holds `count` rows.
    events = events.filter(sequence__lt=_next_sequence())
    count = events[: cap + 1].count()
    if count > cap:
        messages.error(
            request,
            _("More than %(cap)s events match: narrow the filters (dates, agency, action) to export them.")
            % {"cap": cap},
        )
        return HttpResponseRedirect(list_url)
    # Recorded before the first row leaves: an export cut short by the network still counts.
    record(
        action=AuditAction.EXPORT,
        actor=request.user,
        object_type=EVENT_TYPE,
        search=filters.search_term,
        details={"format": "csv", "filters": _filters_used(filters), "rows": count},
    )
    rows = _export_rows(viewer, events.iterator(chunk_size=500))
    response = StreamingHttpResponse(csv_lines(EXPORT_HEADER, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _next_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    return (last or 0) + 1


# --- whole-chain verification ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def verification_list(request: HttpRequest) -> HttpResponse:
    """The verifications asked for so far and a button to ask for one (run by the task worker)."""
    viewer = _viewer(request)
    if not viewer.has_perm(selectors.VIEW_PERMISSION):
        return _refuse(request, object_id="")
    if request.method == "POST":
        try:
            verification = verifications.verification_start(actor=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("audit:verification_list"))
        messages.success(request, _("The verification was queued."))
        return HttpResponseRedirect(reverse("audit:verification_detail", args=[verification.pk]))
    page = CappedPaginator(selectors.verification_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/verification_list.html", {"page": page})


@login_required
@require_GET
def verification_detail(request: HttpRequest, verification_id: uuid.UUID) -> HttpResponse:
    """A verification with its progress; htmx polls the `progress` partial until it has ended."""
    viewer = _viewer(request)
    if not viewer.has_perm(selectors.VIEW_PERMISSION):
        return _refuse(request, object_id=str(verification_id))
    try:
        verification = selectors.verification_get(verification_id=verification_id)
    except NotFound as exc:
        raise Http404 from exc
    broken_url = ""
    if verification.break_event_id is not None:
        try:
            selectors.event_get_for(user=viewer, event_id=verification.break_event_id)
        except NotFound:
            pass
        else:
            broken_url = reverse("audit:event_detail", args=[verification.break_event_id])
    context = {"verification": verification, "broken_url": broken_url}
    return render_page_or_partial(request, "audit/verification_detail.html", context, partial="progress")
