"""The proceedings part's panels: the justice officer's home panel (the worklist, the proceedings)
and the case page's "Justice proceedings" panel (steps and hearing dates only, for the case's
workers: no parties, notes or evidence)."""

from typing import Any

from shield import audit
from shield.accounts import home_panels
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.cases import case_panels
from shield.cases.models import Case
from shield.justice.proceedings import selectors


def home_panel(user: User) -> dict[str, Any]:
    return {"can_open": user.has_perm("justice.edit")}


def case_panel(user: User, case: Case) -> dict[str, Any] | None:
    proceedings = selectors.proceedings_for_case(user=user, case=case)
    if not proceedings:
        return None
    for proceeding in proceedings:
        audit.record(
            action=AuditAction.VIEW,
            actor=user,
            obj=proceeding,
            details={"view": "restricted", "through_case": str(case.pk)},
        )
    return {"proceedings": proceedings}


def register() -> None:
    home_panels.register(
        home_panels.HomePanel(
            key="justice",
            template_name="justice/proceedings/home_panel.html",
            context=home_panel,
            permission="justice.view",
            order=7,
        )
    )
    case_panels.register(
        case_panels.CasePanel(
            key="justice_proceedings",
            template_name="justice/proceedings/case_panel.html",
            context=case_panel,
            order=60,
        )
    )
