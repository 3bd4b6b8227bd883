"""/statistics/juvenile-justice/: the eleven indicators of a year, a table each, and their CSV.

The page needs `statistics.view`; the CSV download `statistics.export` (as every statistics
download) and is audited as an export before the first byte leaves; the page is audited as a view.
"""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from shield import audit
from shield.audit.models import AuditAction
from shield.audit.refusals import permission_denied, require_permission
from shield.core.spreadsheets import csv_lines
from shield.statistics.juvenile_justice.counting import (
    FIRST_YEAR,
    VIEW,
    JuvenileJusticeRequestError,
    juvenile_justice_for,
    unit_label,
)
from shield.statistics.shapes.workbooks import CSV_TYPE

EXPORT = "statistics.export"
OBJECT_TYPE = "statistics.juvenile_justice"


class JuvenileJusticeForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=9999)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), required=False, choices=[("", gettext_lazy("Page")), ("csv", "CSV")]
    )


def year_form(data: Any) -> JuvenileJusticeForm:
    values = data.copy()
    values.setdefault("year", str(timezone.localdate().year - 1))
    return JuvenileJusticeForm(values)


@require_permission(VIEW, object_type=OBJECT_TYPE)
@require_GET
def juvenile_justice_page(request: HttpRequest) -> HttpResponse:
    form = year_form(request.GET)
    context: dict[str, Any] = {"form": form, "report": None}
    if not form.is_valid():
        return render(request, "statistics/juvenile_justice.html", context, status=400)
    year: int = form.cleaned_data["year"]
    wants_csv = form.cleaned_data.get("format") == "csv"
    if wants_csv and not request.user.has_perm(EXPORT):
        return permission_denied(request, object_type=OBJECT_TYPE, object_id=str(year))
    try:
        report = juvenile_justice_for(user=request.user, year=year)
    except JuvenileJusticeRequestError as exc:
        form.add_error("year", str(exc))
        return render(request, "statistics/juvenile_justice.html", context, status=400)
    header, rows = report.csv_rows()
    # Recorded before the first byte leaves: an export cut short still counts.
    audit.record(
        action=AuditAction.EXPORT if wants_csv else AuditAction.VIEW,
        actor=request.user,
        object_type=OBJECT_TYPE,
        object_id=str(year),
        details={
            "year": year,
            "format": "csv" if wants_csv else "page",
            "rows": len(rows),
            "suppressed": sum(cell.suppressed for r in report.results for cell in r.rows),
        },
    )
    if wants_csv:
        response = HttpResponse("".join(csv_lines(header, rows)), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="juvenile_justice_{year}.csv"'
        response["Cache-Control"] = "no-store"
        return response
    context.update(
        report=report,
        year=year,
        units={r.indicator.code: unit_label(r.indicator.unit) for r in report.results},
        can_export=request.user.has_perm(EXPORT),
        no_population=_("no population figure"),
    )
    return render(request, "statistics/juvenile_justice.html", context)
