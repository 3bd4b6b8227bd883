"""Release pages: the list, assembling one, its page with the tables and the audit, the actions
(each confirmed on a page of its own) and the downloads.

Thin, as everywhere: the page's permission (403, audited), `selectors.releases` to read (hidden and
missing alike 404), one service per action. Reading a release is audited as a view of it, and
every download as an export; a download re-verifies the content hash and refuses a tampered
release (409, audited).
"""

import io
import json
import uuid
import zipfile
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import require_permission
from shield.core.errors import ApplicationError, InvalidTransition, NotFound, StaleVersion
from shield.core.forms import add_application_error
from shield.core.htmx import is_htmx, render_page_or_partial
from shield.core.pagination import CappedPaginator
from shield.core.spreadsheets import csv_lines
from shield.statistics.forms.releases import (
    ReleaseActionForm,
    ReleaseCreateForm,
    ReleaseFilterForm,
    ReleaseReasonForm,
)
from shield.statistics.models import Release, ReleaseStatus
from shield.statistics.presenters import releases as presenters
from shield.statistics.selectors import releases as selectors
from shield.statistics.services import releases as services
from shield.statistics.shapes import glotip, workbooks

RELEASE_TYPE = Release._meta.label_lower
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _get(user: User, release_id: uuid.UUID) -> Release:
    try:
        return selectors.release_get_for(user=user, release_id=release_id)
    except NotFound as exc:
        raise Http404 from exc


@require_permission(selectors.VIEW, object_type=RELEASE_TYPE)
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ReleaseFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "may_release": user.has_perm(selectors.RELEASE)}
    if form.is_valid():
        releases = selectors.release_list_for(
            user=user, status=form.cleaned_data["status"] or None, period=form.cleaned_data["period"] or None
        )
        context["page"] = CappedPaginator(releases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page_or_partial(
        request, "statistics/releases/release_list.html", context, partial="results"
    )


@require_permission(selectors.RELEASE, object_type=RELEASE_TYPE)
@require_http_methods(["GET", "POST"])
def release_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ReleaseCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                release = services.release_create(actor=user, **form.cleaned_data)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(
                    request, _("The release is a draft now. Check its tables once assembled, then submit it.")
                )
                return HttpResponseRedirect(reverse("statistics:release_detail", args=[release.pk]))
        return render(request, "statistics/releases/release_create.html", {"form": form}, status=400)
    return render(request, "statistics/releases/release_create.html", {"form": form})


def _detail_context(user: User, release: Release) -> dict[str, Any]:
    return {
        "release": release,
        "title": release.title(_language()),
        "tables": presenters.shown_tables(release.content),
        "audit_rows": presenters.shown_audit(release.content),
        "legend": presenters.legend(release.content),
        "glotip_ready": str(release.content.get("period", "")).isdigit(),
        "audit_ok": release.content.get("audit_ok", False),
        "superseded_by": selectors.superseded_by(release),
        "correction": getattr(release, "correction", None),
        "may_release": user.has_perm(selectors.RELEASE),
        "may_approve": user.has_perm(selectors.APPROVE)
        and user.pk not in {release.assembled_by_id, release.submitted_by_id},
    }


def _language() -> str:
    return get_language() or "en"


@require_permission(selectors.VIEW, object_type=RELEASE_TYPE)
@require_GET
def release_detail(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    release = _get(user, release_id)
    response = render_page_or_partial(
        request, "statistics/releases/release_detail.html", _detail_context(user, release), partial="assembly"
    )
    if not is_htmx(request):  # the progress poll reads no table
        audit.record(action=AuditAction.VIEW, actor=user, obj=release)
    return response


# --- actions: a confirmation page (GET), then the service (POST) --------------------------------


ACTIONS: dict[str, dict[str, Any]] = {
    "submit": {"permission": selectors.RELEASE, "reason": False},
    "approve": {"permission": selectors.APPROVE, "reason": False},
    "rebuild": {"permission": selectors.RELEASE, "reason": False},
    "return": {"permission": selectors.VIEW, "reason": True},
    "correct": {"permission": selectors.RELEASE, "reason": True},
}


def _action_titles() -> dict[str, str]:
    return {
        "submit": _("Submit for approval"),
        "approve": _("Approve and freeze"),
        "rebuild": _("Recount the tables"),
        "return": _("Return to draft"),
        "correct": _("Make a correction"),
    }


def _perform(action: str, user: User, release: Release, data: dict[str, Any]) -> Release:
    version = data["version"]
    if action == "submit":
        return services.release_submit(actor=user, release=release, expected_version=version)
    if action == "approve":
        return services.release_approve(actor=user, release=release, expected_version=version)
    if action == "rebuild":
        return services.release_rebuild(actor=user, release=release, expected_version=version)
    if action == "return":
        return services.release_return(
            actor=user, release=release, reason=data["reason"], expected_version=version
        )
    return services.release_correct(
        actor=user, release=release, reason=data["reason"], expected_version=version
    )


def _action_view(action: str) -> Callable[..., HttpResponse]:
    spec = ACTIONS[action]
    form_class = ReleaseReasonForm if spec["reason"] else ReleaseActionForm

    @require_permission(spec["permission"], object_type=RELEASE_TYPE)
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
        user = _user(request)
        release = _get(user, release_id)
        if request.method == "POST":
            form = form_class(request.POST)
        else:
            form = form_class(initial={"version": release.version})
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    result = _perform(action, user, release, form.cleaned_data)
                except ApplicationError as exc:
                    add_application_error(form, exc)
                    status = 409 if isinstance(exc, StaleVersion | InvalidTransition) else exc.status_code
                    release = _get(user, release_id)
                else:
                    messages.success(request, _("Done: %(action)s.") % {"action": _action_titles()[action]})
                    return HttpResponseRedirect(reverse("statistics:release_detail", args=[result.pk]))
            else:
                status = 400
        context = {
            "release": release,
            "form": form,
            "action": action,
            "action_title": _action_titles()[action],
            "title": release.title(_language()),
        }
        return render(request, "statistics/releases/release_confirm.html", context, status=status)

    view.__name__ = f"release_{action}"
    return view


release_submit = _action_view("submit")
release_approve = _action_view("approve")
release_rebuild = _action_view("rebuild")
release_return = _action_view("return")
release_correct = _action_view("correct")


# --- downloads ----------------------------------------------------------------------------------

FORMATS = ("json", "csv", "xlsx", "glotip")


def _checked_for_download(request: HttpRequest, release_id: uuid.UUID, fmt: str) -> Release | HttpResponse:
    user = _user(request)
    release = _get(user, release_id)
    if release.status != ReleaseStatus.APPROVED or fmt not in FORMATS:
        raise Http404
    try:
        services.verify(release)
    except services.ReleaseTampered as exc:
        audit.record(
            action=AuditAction.EXPORT,
            actor=user,
            obj=release,
            details={"format": fmt, "refused": "content hash mismatch"},
        )
        return render(
            request, "statistics/releases/release_tampered.html", {"message": exc.message}, status=409
        )
    return release


def _filename(release: Release, fmt: str) -> str:
    extension = {"csv": "zip", "glotip": "csv"}.get(fmt, fmt)
    name = "glotip-VNM" if fmt == "glotip" else "shield-release"
    return f"{name}-{release.period}-{str(release.pk)[:8]}.{extension}"


def release_json(release: Release) -> bytes:
    document = {
        "id": str(release.pk),
        "period": release.period,
        "title_vi": release.title_vi,
        "title_en": release.title_en,
        "replaces": str(release.replaces_id) if release.replaces_id else None,
        "approved_at": release.approved_at.isoformat() if release.approved_at else None,
        "content": release.content,
        "content_hash": release.content_hash,
        "hash_algorithm": "SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of "
        "{period, title_vi, title_en, replaces, content}",
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def release_csv_zip(release: Release) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, table in enumerate(release.content.get("tables", []), start=1):
            dims = "-".join(table["dimensions"]) or "total"
            name = f"{number:02d}-{table['indicator']}-{dims}.csv"
            archive.writestr(name, "".join(csv_lines(presenters.CSV_HEADER, presenters.long_rows(table))))
        archive.writestr("SHA256.txt", f"{release.content_hash}\n")
    return buffer.getvalue()


def release_xlsx(release: Release) -> bytes:
    """One sheet: every cell of every table in the long form of the CSV, numbered by table."""
    rows = [
        [number, *row]
        for number, table in enumerate(release.content.get("tables", []), start=1)
        for row in presenters.long_rows(table)
    ]
    return workbooks.xlsx_bytes(["table", *presenters.CSV_HEADER], rows, title=f"release {release.period}")


def release_glotip_csv(release: Release) -> bytes:
    """Viet Nam's GLOTIP rows (the shared file's 13 columns) from the release's printed cells."""
    rows = presenters.glotip_rows(release.content)
    return "".join(csv_lines(glotip.COLUMNS, rows)).encode("utf-8")


CONTENT_TYPES = {
    "json": "application/json",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "glotip": "text/csv; charset=utf-8",
}

WRITERS: dict[str, Callable[[Release], bytes]] = {
    "json": release_json,
    "csv": release_csv_zip,
    "xlsx": release_xlsx,
    "glotip": release_glotip_csv,
}


@require_permission(selectors.VIEW, object_type=RELEASE_TYPE)
@require_GET
def release_download(request: HttpRequest, release_id: uuid.UUID, fmt: str) -> HttpResponse:
    checked = _checked_for_download(request, release_id, fmt)
    if isinstance(checked, HttpResponse):
        return checked
    body = WRITERS[fmt](checked)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(checked, fmt)}"'
    audit.record(
        action=AuditAction.EXPORT,
        actor=request.user,
        obj=checked,
        details={"format": fmt, "content_hash": checked.content_hash},
    )
    return response
