"""The pivot: any indicator by any two of its dimensions, with margins, and its download."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.audit.refusals import require_permission
from shield.statistics import presenters, screen, selectors
from shield.statistics.forms import DEFAULT_INDICATOR, PivotForm, this_year
from shield.statistics.presenters.releases import legend
from shield.statistics.views.dashboard import EXPORT

OBJECT_TYPE = "statistics.pivot"


@require_permission(selectors.VIEW, object_type=OBJECT_TYPE)
@require_GET
def pivot(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    asked = {k: v for k, v in request.GET.items() if k in PivotForm.base_fields}
    if not {"rows", "cols"} & set(asked):
        # First visit (or from the dashboard): a sensible table to start from.
        asked = {
            "indicator": DEFAULT_INDICATOR,
            "period": str(this_year()),
            "rows": "sex",
            "cols": "age_unodc",
            **asked,
        }
    form = PivotForm(asked)
    shown = None
    if form.is_valid():
        data = form.cleaned_data
        dimensions = (data["rows"], data["cols"])
        table = selectors.table_for(
            user=user, indicator=data["indicator"], period=data["period"], dimensions=dimensions
        )
        audit.record(
            action=AuditAction.VIEW,
            actor=user,
            object_type=OBJECT_TYPE,
            details={
                "indicator": data["indicator"],
                "period": data["period"],
                "dimensions": list(dimensions),
            },
        )
        # A supervisor's scope is small: the page is protected as a release would be.
        protected = screen.protect_for_screen([table])[0] if screen.protected_on_screen(user) else None
        shown = {
            "table": presenters.two_way(table, protected=protected),
            "protected": protected is not None,
            "legend": legend({"threshold": protected.threshold}) if protected is not None else [],
            "indicator": presenters.indicator_label(data["indicator"]),
            "indicator_code": data["indicator"],
            "period": data["period"],
            "dimensions": ",".join(dimensions),
            "total": table.total,
            "unit": table.unit,
        }
    return render(
        request,
        "statistics/pivot.html",
        {"form": form, "shown": shown, "can_export": user.has_perm(EXPORT)},
        status=200 if form.is_valid() else 400,
    )
