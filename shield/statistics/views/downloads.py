"""A table as CSV or XLSX: counted for the user's scope, protected by disclosure control (primary
and secondary suppression), only the printed values written, formula-safe, audited as an export."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import require_permission
from shield.core.spreadsheets import csv_lines
from shield.statistics import disclosure, presenters, selectors
from shield.statistics.forms import CSV, DownloadForm
from shield.statistics.indicators import indicator_get
from shield.statistics.shapes import workbooks
from shield.statistics.views.dashboard import EXPORT

OBJECT_TYPE = "statistics.table"


@require_permission(EXPORT, object_type=OBJECT_TYPE)
@require_GET
def table_download(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = DownloadForm(request.GET)
    if not form.is_valid():
        return render(request, "statistics/download_refused.html", {"form": form}, status=400)
    data = form.cleaned_data
    indicator = indicator_get(data["indicator"])
    table = selectors.table_for(
        user=user, indicator=indicator.code, period=data["period"], dimensions=data["dimensions"]
    )
    protection = disclosure.protect([table], threshold=indicator.threshold)
    (protected,) = protection.tables
    header, rows = presenters.long_rows(table, protected=protected)
    # Recorded before the first byte leaves: an export cut short by the network still counts.
    audit.record(
        action=AuditAction.EXPORT,
        actor=user,
        object_type=OBJECT_TYPE,
        details={
            "format": data["format"],
            "indicator": indicator.code,
            "period": data["period"],
            "dimensions": list(data["dimensions"]),
            "rows": len(rows),
            "suppressed": protected.suppressed,
        },
    )
    name = "-".join([indicator.code, data["period"], *data["dimensions"]])
    if data["format"] == CSV:
        # One table of at most a few thousand cells: written whole rather than streamed.
        response = HttpResponse("".join(csv_lines(header, rows)), content_type=workbooks.CSV_TYPE)
    else:
        response = HttpResponse(
            workbooks.xlsx_bytes(header, rows, title=indicator.code), content_type=workbooks.XLSX_TYPE
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{data["format"]}"'
    response["Cache-Control"] = "no-store"
    return response
