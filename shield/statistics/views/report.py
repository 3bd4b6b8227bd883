"""The PDF national report for a year: a page to choose the year, then the PDF (audited export)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import require_permission
from shield.cases.pdf import PdfTooSlow
from shield.statistics import national_report
from shield.statistics.forms import ReportForm, this_year
from shield.statistics.views.dashboard import EXPORT

OBJECT_TYPE = "statistics.national_report"


@require_permission(EXPORT, object_type=OBJECT_TYPE)
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if "year" not in request.GET:
        form = ReportForm(initial={"year": this_year()})
        return render(request, "statistics/report.html", {"form": form})
    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "statistics/report.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    try:
        content = national_report.report_pdf(user=user, year=year)
    except PdfTooSlow as exc:
        messages.error(request, exc.message)
        return render(request, "statistics/report.html", {"form": form}, status=503)
    audit.record(
        action=AuditAction.EXPORT,
        actor=user,
        object_type=OBJECT_TYPE,
        reason="PDF national report",
        details={"format": "pdf", "year": year, "table_set": national_report.TABLE_SET},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="shield-national-report-{year}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
