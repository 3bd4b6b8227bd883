"""What the support part registers when the app starts: the case page's support panel."""

from typing import Any

from shield.accounts.models import User
from shield.cases import case_panels
from shield.cases.models import Case
from shield.referrals.directory import taxonomy
from shield.referrals.support import selectors

PANEL_KEY = "referrals_support"


def support_panel(user: User, case: Case) -> dict[str, Any] | None:
    """The case's support history and totals per type (two queries). `case` was read through
    `case_get_for`, so the user sees the case."""
    latest, totals = selectors.case_support_for(case=case)
    if not latest:
        return None
    labels = dict(taxonomy.choices())
    return {
        "case": case,
        "deliveries": latest,
        "totals": [(labels.get(t.support_type, t.support_type), t) for t in totals],
        "labels": labels,
        "grand_total": sum(t.amount_vnd for t in totals),
    }


def register() -> None:
    case_panels.register(
        case_panels.CasePanel(
            key=PANEL_KEY, template_name="referrals/support/_case_panel.html", context=support_panel, order=60
        )
    )
