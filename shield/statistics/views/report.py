"""The PDF national report for a year: ask for it (a task builds it), watch its progress, download
it (the requester only; each download an audited export)."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from shield.accounts.models import User
from shield.audit.refusals import require_permission
from shield.core.errors import NotFound
from shield.core.htmx import is_htmx
from shield.statistics import national_report
from shield.statistics.forms import ReportForm, this_year
from shield.statistics.views.dashboard import EXPORT

OBJECT_TYPE = "statistics.nationalreport"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_permission(EXPORT, object_type=OBJECT_TYPE)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ReportForm(request.POST or None, initial={"year": this_year()})
    if request.method == "POST" and form.is_valid():
        built = national_report.national_report_request(actor=user, year=form.cleaned_data["year"])
        return HttpResponseRedirect(reverse("statistics:report_detail", args=[built.pk]))
    return render(
        request,
        "statistics/report.html",
        {"form": form, "reports": national_report.national_report_list_for(user=user)},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_permission(EXPORT, object_type=OBJECT_TYPE)
@require_GET
def report_detail(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    try:
        built = national_report.national_report_get_for(user=_user(request), report_id=report_id)
    except NotFound as exc:
        raise Http404() from exc
    template = "statistics/_report_progress.html" if is_htmx(request) else "statistics/report_detail.html"
    return render(request, template, {"report": built})


@require_permission(EXPORT, object_type=OBJECT_TYPE)
@require_GET
def report_download(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    try:
        built, content = national_report.national_report_download(actor=_user(request), report_id=report_id)
    except NotFound as exc:
        raise Http404() from exc
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="shield-national-report-{built.year}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
