"""The national report for a year as PDF (WeasyPrint), built by a task: a cover, the tables of the
`national` table set as disclosure control publishes them, charts drawn from the published
values, the note on ranges, and Viet Nam's published GLOTIP series.

The tables come from `reports.report_build` (counted with the user's scope, protected together:
primary and secondary suppression across all of them), so the PDF prints nothing a release of the
same tables would not. WeasyPrint runs in a child process killed after
SHIELD_PDF_TIMEOUT_SECONDS (`shield.cases.pdf.html_to_pdf`).

Counting, protecting, drawing and laying out take several seconds (8-10 s on a loaded two-core
machine), so a report is asked for (`national_report_request`, audited), built by the task
`statistics.tasks.national_report_build` with its progress on the row, and downloaded by the
requester only (`national_report_download`, audited as an export each time).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.accounts.policy import has_permission
from shield.audit.models import AuditAction
from shield.cases.pdf import html_to_pdf
from shield.core.errors import NotFound, PermissionRefused
from shield.statistics import charts, presenters, published_series, reports
from shield.statistics.dashboards import scope_label
from shield.statistics.disclosure import SECONDARY_MARK, ProtectedTable
from shield.statistics.models import NationalReport
from shield.statistics.models.htcds import ExportStatus

TABLE_SET = "national"
EXPORT = "statistics.export"
RECENT_REPORTS = 10


def report_context(
    *, user: User, year: int, progress: Callable[[int, str], None] = lambda _p, _s: None
) -> dict[str, Any]:
    progress(5, "count")
    built = reports.report_build(user=user, period=str(year), table_set=TABLE_SET)
    progress(40, "draw")
    language = presenters.language()
    sections = []
    for protected in built.protection.tables:
        table = protected.table
        section: dict[str, Any] = {
            "indicator": presenters.indicator_label(table.indicator),
            "dimensions": [presenters.dimension_label(d) for d in table.dimensions],
            "total": _printed(protected) if not table.dimensions else None,
        }
        if len(table.dimensions) == 1:
            shown = presenters.one_way(table, protected=protected)
            section["one_way"] = shown
            bars = presenters.bars_of(table, protected=protected)
            if any(b.value for b in bars):
                unit = _("People") if table.unit == "persons" else _("Events")
                section["svg"] = charts.svg(
                    charts.bar_spec(bars, value_title=unit, category_title=shown.dimension_name)
                )
        elif len(table.dimensions) == 2:
            section["two_way"] = presenters.two_way(table, protected=protected)
        sections.append(section)
    published = published_series.totals(published_series.DETECTED_VICTIMS)
    unodc = _("UNODC GLOTIP (published)")
    points = [charts.SeriesPoint(period=str(p.year), value=p.value, source=unodc) for p in published]
    return {
        "year": year,
        "scope": scope_label(user),
        "sections": sections,
        "threshold": built.protection.threshold,
        "secondary_mark": SECONDARY_MARK,
        "suppressed": sum(p.suppressed for p in built.protection.tables),
        "audit_ok": built.audit_ok,
        "published_svg": charts.svg(
            charts.time_series_spec(points, value_title=_("Detected victims"), period_title=_("Year"))
        ),
        "published": [
            (published_series.name(indicator, language), published_series.totals(indicator))
            for indicator in published_series.NAMES
        ],
        "published_source": published_series.source(language),
        "printed_by": user,
        "printed_at": timezone.localtime(),
    }


def _printed(protected: ProtectedTable) -> str:
    value = protected.printed(())
    return protected.display(()) if value is None else presenters.number(value)


def report_html(*, user: User, year: int, progress: Callable[[int, str], None] = lambda _p, _s: None) -> str:
    context = report_context(user=user, year=year, progress=progress)
    return render_to_string("statistics/national_report_pdf.html", context)


def report_pdf(*, user: User, year: int, progress: Callable[[int, str], None] = lambda _p, _s: None) -> bytes:
    """The report as PDF bytes; `shield.cases.pdf.PdfTooSlow` when the renderer runs too long."""
    html = report_html(user=user, year=year, progress=progress)
    progress(60, "layout")
    return html_to_pdf(html, timeout=settings.SHIELD_PDF_TIMEOUT_SECONDS)


# --- the report as a task -----------------------------------------------------------------


@transaction.atomic
def national_report_request(*, actor: User, year: int) -> NationalReport:
    """Queue the report of `year` (the task row is written in this transaction)."""
    from shield.statistics.tasks import national_report_build as build_task

    if not has_permission(actor, EXPORT):
        raise PermissionRefused()
    report = NationalReport.objects.create(
        requested_by=actor, year=year, language=(translation.get_language() or settings.LANGUAGE_CODE)[:10]
    )
    audit.record(action=AuditAction.CREATE, actor=actor, obj=report, details={"year": year, "format": "pdf"})
    build_task.enqueue(str(report.pk))
    # The immediate backend (tests) has already built it by now: hand back what it wrote.
    report.refresh_from_db()
    return report


def national_report_build(*, report_id: Any) -> NationalReport:
    """Build the PDF (the task's body), as the requester may see the figures now. Progress is
    written as it goes; a failure is kept on the row."""
    report = NationalReport.objects.select_related("requested_by").get(pk=report_id)
    if report.status != ExportStatus.QUEUED:
        return report
    NationalReport.objects.filter(pk=report.pk).update(status=ExportStatus.RUNNING, progress=1, step="start")

    def progress(percent: int, step: str) -> None:
        NationalReport.objects.filter(pk=report.pk).update(progress=min(100, percent), step=step[:100])

    try:
        with translation.override(report.language or settings.LANGUAGE_CODE):
            content = report_pdf(user=report.requested_by, year=report.year, progress=progress)
    except Exception as error:  # kept on the row for the administrators; the page says it failed
        NationalReport.objects.filter(pk=report.pk).update(
            status=ExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        raise
    NationalReport.objects.filter(pk=report.pk).update(
        status=ExportStatus.DONE, progress=100, step="done", content=content, finished_at=timezone.now()
    )
    report.refresh_from_db()
    return report


def national_report_list_for(*, user: User) -> list[NationalReport]:
    """The user's own latest reports (nobody sees another's)."""
    return list(NationalReport.objects.filter(requested_by=user).defer("content")[:RECENT_REPORTS])


def national_report_get_for(*, user: User, report_id: Any) -> NationalReport:
    """The user's own report; NotFound for another's or a missing one (alike)."""
    report = NationalReport.objects.filter(pk=report_id, requested_by=user).defer("content").first()
    if report is None or not has_permission(user, EXPORT):
        raise NotFound()
    return report


@transaction.atomic
def national_report_download(*, actor: User, report_id: Any) -> tuple[NationalReport, bytes]:
    """The finished PDF, audited as an export; NotFound when it is not the actor's or not done."""
    report = national_report_get_for(user=actor, report_id=report_id)
    if report.status != ExportStatus.DONE:
        raise NotFound()
    content = bytes(NationalReport.objects.values_list("content", flat=True).get(pk=report.pk))
    audit.record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=report,
        reason="PDF national report",
        details={"format": "pdf", "year": report.year, "table_set": TABLE_SET},
    )
    return report, content
