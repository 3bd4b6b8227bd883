"""Pages of the international shapes: GLOTIP and SDMX of a year (page, CSV, XLSX), HTCDS exports
(start, progress, download) and the population table (list, upload). Exports need
`statistics.export`; every download is audited before its first byte leaves.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.audit.services import record
from shield.core.errors import ApplicationError, NotFound
from shield.core.htmx import render_page_or_partial
from shield.core.spreadsheets import csv_lines
from shield.statistics.disclosure import DisclosureError, ProtectedTable
from shield.statistics.shapes import exports, glotip, population, sdmx, sources, workbooks
from shield.statistics.shapes.forms import HtcdsRequestForm, PopulationUploadForm, TableExportForm, YearForm
from shield.statistics.shapes.workbooks import CSV_TYPE, XLSX_TYPE, xlsx_bytes

EXPORT = exports.EXPORT_PERMISSION
GLOTIP_TYPE = "statistics.glotip"
SDMX_TYPE = "statistics.sdmx"
POPULATION_TYPE = "statistics.populationupload"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _year_form(request: HttpRequest) -> YearForm:
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year - 1))
    return YearForm(data)


def _tables(request: HttpRequest, year: int) -> tuple[list[ProtectedTable] | None, str, int]:
    """The year's protected tables, or None with the reason and the status to answer."""
    try:
        return sources.glotip_tables(user=request.user, year=year), "", 200
    except PermissionError:
        return None, _("Your role does not let you see national statistics."), 403
    except DisclosureError:
        return None, _("These tables cannot be protected against disclosure; ask the statistics team."), 409


def _download(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    """The whole file at once: these files are small (a year's tables, or one export's rows)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_permission(EXPORT, object_type=GLOTIP_TYPE)
@require_GET
def glotip_export(request: HttpRequest) -> HttpResponse:
    """Viet Nam's GLOTIP rows of a year: the page shows them, CSV and XLSX download them."""
    form = _year_form(request)
    context: dict[str, Any] = {"form": form, "columns": glotip.COLUMNS, "rows": []}
    if not form.is_valid():
        return render(request, "statistics/shapes/glotip.html", context, status=400)
    year: int = form.cleaned_data["year"]
    chosen = form.cleaned_data.get("format") or ""
    tables, problem, status = _tables(request, year)
    if tables is None:
        context["problem"] = problem
        return render(request, "statistics/shapes/glotip.html", context, status=status)
    rows = glotip.glotip_rows(tables, year=year)
    details = {"year": year, "rows": len(rows), "format": chosen or "page"}
    record(
        action=AuditAction.EXPORT if chosen else AuditAction.VIEW,
        actor=request.user,
        object_type=GLOTIP_TYPE,
        object_id=str(year),
        details=details,
    )
    lists = glotip.as_lists(rows)
    if chosen == "csv":
        return _download(
            "".join(csv_lines(glotip.COLUMNS, lists)),
            filename=f"glotip_VNM_{year}.csv",
            content_type=CSV_TYPE,
        )
    if chosen == "xlsx":
        content = xlsx_bytes(glotip.COLUMNS, lists, title=f"GLOTIP {year}")
        return _download(content, filename=f"glotip_VNM_{year}.xlsx", content_type=XLSX_TYPE)
    context.update(rows=lists, year=year)
    return render(request, "statistics/shapes/glotip.html", context)


@require_permission(EXPORT, object_type=SDMX_TYPE)
@require_GET
def sdmx_export(request: HttpRequest) -> HttpResponse:
    """SDG 16.2.2 of a year as SDMX-CSV (counts; rates where a population is in force)."""
    form = _year_form(request)
    context: dict[str, Any] = {"form": form, "header": [], "rows": []}
    if not form.is_valid():
        return render(request, "statistics/shapes/sdmx.html", context, status=400)
    year: int = form.cleaned_data["year"]
    chosen = form.cleaned_data.get("format") or ""
    tables, problem, status = _tables(request, year)
    if tables is None:
        context["problem"] = problem
        return render(request, "statistics/shapes/sdmx.html", context, status=status)
    upload, figures = population.figures_for(year)
    result = sdmx.sdg_16_2_2(tables, year=year, population=figures or None)
    header, rows = sdmx.csv_rows(result)
    record(
        action=AuditAction.EXPORT if chosen else AuditAction.VIEW,
        actor=request.user,
        object_type=SDMX_TYPE,
        object_id=str(year),
        details={
            "year": year,
            "rows": len(rows),
            "format": chosen or "page",
            "population_version": upload.number if upload else None,
        },
    )
    if chosen == "csv":
        return _download(
            "".join(csv_lines(header, rows)), filename=f"sdg_16_2_2_VN_{year}.csv", content_type=CSV_TYPE
        )
    if chosen == "xlsx":
        return _download(
            xlsx_bytes(header, rows, title=f"SDG 16.2.2 {year}"),
            filename=f"sdg_16_2_2_VN_{year}.xlsx",
            content_type=XLSX_TYPE,
        )
    context.update(header=header, rows=rows, year=year, upload=upload, result=result)
    return render(request, "statistics/shapes/sdmx.html", context)


@require_permission(EXPORT, object_type=exports.EXPORT_TYPE)
@require_http_methods(["GET", "POST"])
def htcds_exports(request: HttpRequest) -> HttpResponse:
    """The user's HTCDS exports, and the form that starts one."""
    form = HtcdsRequestForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            export = exports.htcds_export_request(
                actor=_user(request), year=form.cleaned_data["year"], k=form.cleaned_data["k"]
            )
        except ApplicationError as error:
            for field, errors in error.field_errors.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            if not error.field_errors:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("The export has started. This page shows its progress."))
            return HttpResponseRedirect(reverse("statistics:export_htcds_detail", args=[export.pk]))
    listed = exports.htcds_export_list_for(user=request.user)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "statistics/shapes/htcds_list.html", {"form": form, "exports": listed}, status=status
    )


@require_permission(EXPORT, object_type=exports.EXPORT_TYPE)
@require_GET
def htcds_export_detail(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    """One export with its progress (htmx polls the partial until it is done) and its report."""
    try:
        export = exports.htcds_export_get_for(user=request.user, export_id=export_id)
    except NotFound as error:
        raise Http404 from error
    record(action=AuditAction.VIEW, actor=request.user, obj=export)
    context = {"export": export, "not_picked_up": exports.not_picked_up(export)}
    return render_page_or_partial(request, "statistics/shapes/htcds_detail.html", context, partial="progress")


@require_permission(EXPORT, object_type=exports.EXPORT_TYPE)
@require_GET
def htcds_export_download(request: HttpRequest, export_id: uuid.UUID) -> HttpResponse:
    try:
        export, content = exports.htcds_export_download(actor=_user(request), export_id=export_id)
    except NotFound as error:
        raise Http404 from error
    return _download(content, filename=f"htcds_VN_{export.year}_k{export.k}.csv", content_type=CSV_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def population_page(request: HttpRequest) -> HttpResponse:
    """The population uploads (newest first) and, for those who may, the upload form."""
    if not population.may_view(request.user):
        return permission_denied(request, object_type=POPULATION_TYPE)
    may_upload = population.may_upload(request.user)
    if request.method == "POST" and not may_upload:
        return permission_denied(request, object_type=POPULATION_TYPE)
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                upload, parsed = population.population_upload(
                    actor=_user(request),
                    text=form.cleaned_data["file"],
                    source=form.cleaned_data["source"],
                    filename=getattr(request.FILES.get("file"), "name", "") or "",
                    on_error=form.cleaned_data["on_error"],
                )
            except ApplicationError as error:
                row_errors = error.field_errors.pop("file", [])
                for field, errors in error.field_errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                form.add_error(None, error.message)
            else:
                message = _(
                    "Version %(n)s of the population table is in force: %(rows)s figures for %(years)s."
                ) % {
                    "n": upload.number,
                    "rows": upload.row_count,
                    "years": ", ".join(str(y) for y in upload.years),
                }
                messages.success(request, message)
                if not parsed.errors:
                    return HttpResponseRedirect(reverse("statistics:population"))
                # The good rows are in; the page lists the rows left out, line by line.
                status = 200
                left_out = population.describe(parsed.errors)
                messages.warning(
                    request, _("%(n)s rows with errors were left out.") % {"n": len(parsed.errors)}
                )
                form = PopulationUploadForm()
                row_errors = left_out
    uploads = population.upload_list()
    context = {"form": form if may_upload else None, "uploads": uploads, "row_errors": row_errors}
    return render(request, "statistics/shapes/population.html", context, status=status)


@require_permission(EXPORT, object_type="statistics.table")
@require_GET
def table_export(request: HttpRequest) -> HttpResponse:
    """Any indicator of a period by up to two dimensions, as CSV or XLSX, after disclosure control:
    `?indicator=victims_detected&period=2025&dimensions=sex,age_unodc&format=xlsx`."""
    from shield.statistics.dimensions import dimension_get
    from shield.statistics.indicators import indicator_get, label
    from shield.statistics.selectors import StatisticsRequestError

    form = TableExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(" ".join(str(e) for errors in form.errors.values() for e in errors), status=400)
    data = form.cleaned_data
    try:
        indicator = indicator_get(data["indicator"])
        shown = sources.protected_table(
            user=request.user, indicator=indicator.code, period=data["period"], dimensions=data["dimensions"]
        )
    except KeyError:
        return HttpResponse(_("No such indicator."), status=400)
    except StatisticsRequestError as error:
        return HttpResponse(str(error), status=400)
    except PermissionError:
        return HttpResponse(_("Your role does not let you see national statistics."), status=403)
    except DisclosureError:
        return HttpResponse(
            _("These tables cannot be protected against disclosure; ask the statistics team."), status=409
        )
    language = getattr(request, "LANGUAGE_CODE", "vi") or "vi"
    header, rows = workbooks.table_rows(
        shown,
        dimension_label=lambda d: dimension_get(d).label(language),
        category_label=lambda d, code: dimension_get(d).category_label(code, language),
        total_label=_("Total"),
        value_label=label(indicator, language),
    )
    record(
        action=AuditAction.EXPORT,
        actor=request.user,
        object_type="statistics.table",
        object_id=indicator.code,
        details={"period": data["period"], "dimensions": list(data["dimensions"]), "format": data["format"]},
    )
    name = f"{indicator.code}_{data['period']}".replace(".", "_")
    if data["format"] == "xlsx":
        return _download(
            workbooks.xlsx_bytes(header, rows, title=indicator.code),
            filename=f"{name}.xlsx",
            content_type=XLSX_TYPE,
        )
    return _download("".join(csv_lines(header, rows)), filename=f"{name}.csv", content_type=CSV_TYPE)
