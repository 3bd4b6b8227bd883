"""The national report for a year as PDF (WeasyPrint): a cover, the tables of the `national` table
set as disclosure control publishes them, charts drawn from the published values, the note on
ranges, and Viet Nam's published GLOTIP series.

The tables come from `reports.report_build` (counted with the user's scope, protected together:
primary and secondary suppression across all of them), so the PDF prints nothing a release of the
same tables would not. WeasyPrint runs in a child process killed after
SHIELD_PDF_TIMEOUT_SECONDS (`shield.cases.pdf.html_to_pdf`); the caller audits the export.
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.cases.pdf import html_to_pdf
from shield.statistics import charts, presenters, published_series, reports
from shield.statistics.dashboards import scope_label
from shield.statistics.disclosure import SECONDARY_MARK, ProtectedTable

TABLE_SET = "national"


def report_context(*, user: User, year: int) -> dict[str, Any]:
    built = reports.report_build(user=user, period=str(year), table_set=TABLE_SET)
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


def report_html(*, user: User, year: int) -> str:
    return render_to_string("statistics/national_report_pdf.html", report_context(user=user, year=year))


def report_pdf(*, user: User, year: int) -> bytes:
    """The report as PDF bytes; `shield.cases.pdf.PdfTooSlow` when the renderer runs too long."""
    from django.conf import settings

    return html_to_pdf(report_html(user=user, year=year), timeout=settings.SHIELD_PDF_TIMEOUT_SECONDS)
