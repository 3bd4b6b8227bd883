"""The statistics dashboard: tiles, a time series, breakdown bars, a province table and the
published GLOTIP series, each chart beside its table (the table is what a screen reader reads)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import require_permission
from shield.statistics import charts, dashboards, presenters, published_series, screen
from shield.statistics.disclosure import ProtectedTable
from shield.statistics.forms import YEAR, DashboardForm, this_year
from shield.statistics.presenters.releases import legend
from shield.statistics.selectors import VIEW

EXPORT = "statistics.export"
OBJECT_TYPE = "statistics.dashboard"
from shield.statistics.forms import DEFAULT_INDICATOR  # noqa: E402

Shielded = dict[int, ProtectedTable]  # by id() of the board's tables; empty: shown raw


def _shielded(user: User, board: dashboards.Dashboard) -> Shielded:
    """The page's tables protected together when the user's scope is not national (`screen`)."""
    if not screen.protected_on_screen(user):
        return {}
    every = [
        *(tile.table for tile in board.tiles),
        *board.series,
        *board.breakdowns,
        *([board.provinces] if board.provinces is not None else []),
        *board.shield_years,
    ]
    return {id(t): p for t, p in zip(every, screen.protect_for_screen(every), strict=True)}


def _total(table: Any, shielded: Shielded) -> presenters.ShownCell:
    """A table's total as the page shows it: the count, or what protection lets out."""
    protected = shielded.get(id(table))
    if protected is None:
        return presenters.shown_count(table.total)
    key = (presenters.TOTAL,) * len(table.dimensions)
    printed = protected.printed(key)
    if printed is None:
        return presenters.ShownCell(text=protected.display(key), suppressed=True, margin=True)
    return presenters.ShownCell(text=presenters.number(printed), margin=True)


def _series_chart(board: dashboards.Dashboard, shielded: Shielded) -> dict[str, Any]:
    language = presenters.language()
    labels = [p.label(language) for p in board.series_periods]
    if shielded:
        points = [
            charts.SeriesPoint(period=label, value=shielded[id(t)].printed(()), source="Shield")
            for t, label in zip(board.series, labels, strict=True)
        ]
    else:
        points = presenters.series_points(board.series, labels, source="Shield")
    spec = charts.time_series_spec(points, value_title=_unit_title(board), period_title=_("Period"))
    rows = [(label, _total(t, shielded)) for label, t in zip(labels, board.series, strict=True)]
    return {"svg": charts.svg(spec), "rows": rows}


def _unit_title(board: dashboards.Dashboard) -> str:
    return _("People") if board.indicator.counts_persons else _("Events")


def _breakdown(board: dashboards.Dashboard, table: Any, shielded: Shielded) -> dict[str, Any]:
    protected = shielded.get(id(table))
    shown = presenters.one_way(table, protected=protected, compact=True)
    spec = charts.bar_spec(
        presenters.bars_of(table, protected=protected, compact=True),
        value_title=_unit_title(board),
        category_title=shown.dimension_name,
    )
    return {"table": table, "shown": shown, "svg": charts.svg(spec), "dimensions": ",".join(table.dimensions)}


def _published_chart(board: dashboards.Dashboard, shielded: Shielded) -> dict[str, Any]:
    published = dashboards.published_points()
    unodc = _("UNODC GLOTIP (published)")
    shield = _("Shield (this system)")
    points = [charts.SeriesPoint(period=str(p.year), value=p.value, source=unodc) for p in published] + [
        charts.SeriesPoint(period=t.period, value=shielded[id(t)].printed(()), source=shield)
        if shielded
        else charts.SeriesPoint(period=t.period, value=t.total.value, low=t.total.low, source=shield)
        for t in board.shield_years
    ]
    spec = charts.time_series_spec(points, value_title=_("Detected victims"), period_title=_("Year"))
    return {
        "svg": charts.svg(spec),
        "published": [
            (name, published_series.totals(indicator))
            for indicator in published_series.NAMES
            for name in [published_series.name(indicator, presenters.language())]
        ],
        "shield_years": [(t.period, _total(t, shielded)) for t in board.shield_years],
        "source": published_series.source(presenters.language()),
    }


@require_permission(VIEW, object_type=OBJECT_TYPE)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = DashboardForm(request.GET)
    form_ok = form.is_valid()  # every field may be left empty: it falls back to its default
    year, indicator, series = form.values() if form_ok else (this_year(), DEFAULT_INDICATOR, YEAR)
    board = dashboards.dashboard_for(user=user, year=year, indicator=indicator, series_kind=series)
    shielded = _shielded(user, board)
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        object_type=OBJECT_TYPE,
        details={"year": year, "indicator": indicator, "series": series},
    )
    context = {
        "form": form,
        "form_ok": form_ok,
        "board": board,
        "scope": dashboards.scope_label(user),
        "counted_at": timezone.localtime(board.counted_at),
        "tiles": [
            {
                "tile": tile,
                "name": tile.indicator.name(presenters.language()),
                "definition": tile.indicator.definition(presenters.language()),
                "value": _total(tile.table, shielded).text,
                "phrase": "" if shielded else presenters.count_phrase(tile.count, tile.indicator.unit),
                "range": "" if shielded else presenters.shown_count(tile.count).range_text,
                "chosen": tile.indicator.code == board.indicator.code,
            }
            for tile in board.tiles
        ],
        "indicator_name": board.indicator.name(presenters.language()),
        "series": _series_chart(board, shielded),
        "breakdowns": [_breakdown(board, t, shielded) for t in board.breakdowns],
        "provinces": (
            presenters.one_way(board.provinces, protected=shielded.get(id(board.provinces)), compact=True)
            if board.provinces is not None
            else None
        ),
        "published": _published_chart(board, shielded),
        "protected": bool(shielded),
        "legend": legend({"threshold": min(p.threshold for p in shielded.values())}) if shielded else [],
        "can_export": user.has_perm(EXPORT),
        "year": str(year),
    }
    return render(request, "statistics/dashboard.html", context)
