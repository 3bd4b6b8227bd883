"""HSDS 3.1 read endpoints under /hsds/ (signed-in directory readers only), the export download and
the import page. Every read and export is audited; no hidden address is ever written."""

import datetime
import hashlib
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied
from shield.core.errors import NotFound, PermissionRefused
from shield.core.htmx import render_page_or_partial
from shield.referrals.directory import access, forms, hsds, hsds_exports, hsds_import, selectors
from shield.referrals.directory.views import directory_page, user_of
from shield.referrals.models import Provider, Service

SERVICE_TYPE = Service._meta.label_lower
PROVIDER_TYPE = Provider._meta.label_lower


class CanUseDirectory(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return access.can_use_directory(request.user)


class HSDSView(AuditedRefusals, APIView):
    permission_classes = [IsAuthenticated, CanUseDirectory]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    object_type = SERVICE_TYPE


def _page_args(request: Request) -> tuple[int, int]:
    try:
        number = max(1, int(request.query_params.get("page", "1")))
        size = int(request.query_params.get("per_page", str(hsds.DEFAULT_PAGE_SIZE)))
    except ValueError as exc:
        raise ValidationError({"page": ["Whole numbers only."]}) from exc
    return min(number, 100_000), max(1, min(size, hsds.MAX_PAGE_SIZE))


def _modified_after(request: Request) -> datetime.datetime | None:
    raw = (request.query_params.get("modified_after") or "").strip()[:40]
    if not raw:
        return None
    when = parse_datetime(raw.replace(" ", "+"))
    if when is None:
        day = parse_date(raw)
        if day is None:
            raise ValidationError({"modified_after": ["Expected an ISO 8601 date or date-time."]})
        when = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


class HSDSRoot(HSDSView):
    @extend_schema(operation_id="hsds_root", responses={200: dict}, tags=["hsds"])
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": hsds.HSDS_VERSION,
                "profile": hsds.PROFILE,
                "openapi_url": request.build_absolute_uri("/api/v1/schema/"),
            }
        )


class HSDSServices(HSDSView):
    @extend_schema(operation_id="hsds_services", responses={200: dict}, tags=["hsds"])
    def get(self, request: Request) -> Response:
        number, size = _page_args(request)
        filters = selectors.ServiceFilters(
            q=(request.query_params.get("search") or "")[:200], include_closed=True
        )
        found = selectors.service_search_for(user=request.user, filters=filters)
        after = _modified_after(request)
        if after is not None:
            found = found.filter(updated_at__gt=after)
        total = found.count()
        items = [hsds.service(s) for s in hsds.services_for_hsds(found[(number - 1) * size : number * size])]
        audit.record(
            action=AuditAction.LIST,
            actor=request.user,
            object_type=SERVICE_TYPE,
            search=filters.q,
            details={"format": "hsds", "filters": filters.used() + (["modified_after"] if after else [])},
        )
        return Response(hsds.page(items, total=total, number=number, size=size))


class HSDSService(HSDSView):
    @extend_schema(operation_id="hsds_service", responses={200: dict}, tags=["hsds"])
    def get(self, request: Request, service_id: uuid.UUID) -> Response:
        service = selectors.service_get_for(user=request.user, service_id=service_id)
        audit.record(action=AuditAction.VIEW, actor=request.user, agency=service.provider.agency, obj=service)
        item = hsds.service(
            hsds.services_for_hsds(Service.objects.filter(pk=service.pk)).get(), with_organization=True
        )
        return Response(item)


class HSDSOrganizations(HSDSView):
    object_type = PROVIDER_TYPE

    @extend_schema(operation_id="hsds_organizations", responses={200: dict}, tags=["hsds"])
    def get(self, request: Request) -> Response:
        number, size = _page_args(request)
        found = selectors.provider_list_for(user=request.user)
        after = _modified_after(request)
        if after is not None:
            found = found.filter(updated_at__gt=after)
        total = found.count()
        items = [hsds.organization(p) for p in found[(number - 1) * size : number * size]]
        audit.record(
            action=AuditAction.LIST,
            actor=request.user,
            object_type=PROVIDER_TYPE,
            details={"format": "hsds", "filters": ["modified_after"] if after else []},
        )
        return Response(hsds.page(items, total=total, number=number, size=size))


class HSDSOrganization(HSDSView):
    object_type = PROVIDER_TYPE

    @extend_schema(operation_id="hsds_organization", responses={200: dict}, tags=["hsds"])
    def get(self, request: Request, provider_id: uuid.UUID) -> Response:
        provider = selectors.provider_get_for(user=request.user, provider_id=provider_id)
        audit.record(action=AuditAction.VIEW, actor=request.user, agency=provider.agency, obj=provider)
        return Response(hsds.organization(provider))


def directory_export(*, user: Any) -> bytes:
    """The whole directory this user sees as an HSDS data package; audited as an export."""
    found = selectors.service_search_for(user=user, filters=selectors.ServiceFilters(include_closed=True))
    providers = selectors.provider_list_for(user=user)
    data = hsds.hsds_export(services=found, providers=providers)
    audit.record(
        action=AuditAction.EXPORT,
        actor=user,
        object_type=SERVICE_TYPE,
        details={"format": "hsds-3.1-tabular", "bytes": len(data)},
    )
    return data


@directory_page(keepers_only=True)
@require_http_methods(["GET"])
def hsds_export_download(request: HttpRequest) -> HttpResponse:
    data = directory_export(user=user_of(request))
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="shield-directory-hsds-{stamp}.zip"'
    return response


@directory_page(keepers_only=True)
@require_http_methods(["GET", "POST"])
def hsds_import_page(request: HttpRequest) -> HttpResponse:
    """Upload a package: "Check" runs a dry run and shows every problem; "Import" runs the import
    of a file whose check passed (the same bytes: its SHA-256 is carried by the form)."""
    user = user_of(request)
    if not access.manages_everything(user):
        return permission_denied(request, object_type=SERVICE_TYPE)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    checked = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["datapackage"]
        if upload.size > hsds_import.MAX_ZIP_BYTES:
            form.add_error("datapackage", _("The file is larger than 5 MB."))
        else:
            data = upload.read()
            digest = hashlib.sha256(data).hexdigest()
            wants_import = request.POST.get("action") == "import"
            if wants_import and form.cleaned_data.get("token") != digest:
                form.add_error(
                    "datapackage", _("Check this file first: the import runs only a file whose check passed.")
                )
            else:
                try:
                    report = hsds_import.hsds_import(actor=user, data=data, dry_run=not wants_import)
                except (PermissionRefused, NotFound):
                    return permission_denied(request, object_type=SERVICE_TYPE)
                if report.dry_run and not report.errors:
                    checked = digest
    context = {"form": form, "report": report, "checked": checked}
    return render(request, "referrals/directory/import.html", context)


# --- The export as a background task (progress polled, download when done) ----------------------


@directory_page(keepers_only=True)
@require_http_methods(["GET", "POST"])
def hsds_exports_page(request: HttpRequest) -> HttpResponse:
    """The keeper's HSDS exports of the whole directory, and the button that starts one."""
    user = user_of(request)
    if request.method == "POST":
        export = hsds_exports.hsds_export_request(actor=user)
        messages.success(request, _("The export has started. This page shows its progress."))
        return HttpResponseRedirect(reverse("referrals:hsds_export_detail", args=[export.pk]))
    listed = hsds_exports.hsds_export_list_for(user=user)
    return render(request, "referrals/directory/hsds_exports.html", {"exports": listed})


@directory_page(keepers_only=True)
@require_http_methods(["GET"])
def hsds_export_detail(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    """One export with its progress (htmx polls the partial until it is done or failed)."""
    user = user_of(request)
    export = hsds_exports.hsds_export_get_for(user=user, export_id=export_id)
    audit.record(action=AuditAction.VIEW, actor=user, obj=export)
    return render_page_or_partial(
        request, "referrals/directory/hsds_export_detail.html", {"export": export}, partial="progress"
    )


@directory_page(keepers_only=True)
@require_http_methods(["GET"])
def hsds_export_file(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    export, content = hsds_exports.hsds_export_download(actor=user_of(request), export_id=export_id)
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localtime(export.finished_at or export.created_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="shield-directory-hsds-{stamp}.zip"'
    return response
