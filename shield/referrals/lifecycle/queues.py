"""The lifecycle part's work queues (docs/worklists.md) and its case panel.

- `referrals_incoming`: referrals sent to an agency whose referrals the user answers, waiting for
  an answer (status sent); the list is "referrals to us" filtered to them.
- `referrals_overdue`: referrals the user's side sent that are past a deadline (not answered in
  time, or no outcome in time after acceptance); the list is "our referrals", overdue only.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.accounts import policy
from shield.accounts.models import User
from shield.cases import case_panels
from shield.cases import selectors as case_selectors
from shield.cases.models import ActionStatus, CarePlanAction, CarePlanStatus, Case
from shield.notifications import worklists
from shield.referrals.lifecycle import presenters, selectors
from shield.referrals.models import Referral, ReferralStatus

PANEL_ROWS = 10


def incoming(user: User) -> QuerySet[Referral]:
    filters = selectors.ReferralFilters(statuses=(ReferralStatus.SENT,))
    return selectors.referral_inbox_for(user=user, filters=filters)


def overdue(user: User) -> QuerySet[Referral]:
    filters = selectors.ReferralFilters(overdue=True, now=timezone.now())
    return selectors.referral_outbox_for(user=user, filters=filters)


def case_referrals_panel(user: User, case: Case) -> dict[str, Any] | None:
    """The case's referrals the user may see, and the links to refer (from the case or from one
    of its open care-plan actions) when the user may."""
    referrals = list(selectors.referrals_of_case(user=user, case_id=case.pk)[:PANEL_ROWS])
    may_refer = policy.has_permission(user, selectors.MAKE) and case_selectors.can_edit(user=user, case=case)
    if not referrals and not may_refer:
        return None
    actions = []
    if may_refer:
        actions = list(
            CarePlanAction.objects.filter(goal__plan__case=case, status=ActionStatus.OPEN)
            .exclude(goal__plan__status=CarePlanStatus.SUPERSEDED)
            .order_by("due_on")[:PANEL_ROWS]
        )
    return {
        "case": case,
        "rows": [
            (row, presenters.next_steps(user=user, referral=row.referral))
            for row in presenters.rows(user=user, referrals=referrals)
        ],
        "may_refer": may_refer,
        "actions": actions,
    }


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key="referrals_incoming",
            title=_("Referrals to your agency waiting for an answer"),
            items=incoming,
            url_name="referrals:referral_inbox",
            query=f"status={ReferralStatus.SENT.value}",
            order=60,
        )
    )
    worklists.register(
        worklists.Worklist(
            key="referrals_overdue",
            title=_("Referrals you sent that are overdue"),
            items=overdue,
            url_name="referrals:referral_outbox",
            query="overdue=on",
            permission=selectors.MAKE,
            order=61,
        )
    )
    case_panels.register(
        case_panels.CasePanel(
            key="referrals",
            template_name="referrals/lifecycle/case_panel.html",
            context=case_referrals_panel,
            order=60,
        )
    )
