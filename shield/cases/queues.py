"""The cases app's work queues (see `shield.notifications.worklists`): each counts, through the
case selectors, exactly the list its link opens."""

from collections.abc import Callable
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.cases import selectors
from shield.cases.models import Case, Stage
from shield.cases.selectors import CaseFilters
from shield.notifications import worklists


def _case_queue(queue: str) -> Callable[[User], QuerySet[Case]]:
    def items(user: User) -> QuerySet[Case]:
        return selectors.case_list_for(user=user, filters=CaseFilters(queue=queue))

    return items


def my_cases_by_stage(user: User) -> list[tuple[str, int, str]]:
    """The user's open cases by stage, in the stage machine's order (one query)."""
    cases = selectors.case_list_for(user=user, filters=CaseFilters(queue=selectors.QUEUE_MINE))
    counted = {row["stage"]: row["n"] for row in cases.order_by().values("stage").annotate(n=Count("id"))}
    return [
        (str(label), counted[stage], f"stage={stage}") for stage, label in Stage.choices if counted.get(stage)
    ]


def approvals(user: User) -> QuerySet[Any]:
    return selectors.approvals_for(user=user)


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key="case_approvals",
            title=_("Care plans and closures waiting for your approval"),
            items=approvals,
            url_name="cases:approval_list",
            permission=selectors.SUPERVISE,
            order=10,
        )
    )
    worklists.register(
        worklists.Worklist(
            key="case_incoming",
            title=_("Cases transferred to your agency, waiting for an answer"),
            items=_case_queue(selectors.QUEUE_INCOMING),
            url_name="cases:case_list",
            query=f"queue={selectors.QUEUE_INCOMING}",
            permission=selectors.EDIT,
            order=20,
        )
    )
    worklists.register(
        worklists.Worklist(
            key="case_overdue",
            title=_("Cases with your overdue actions"),
            items=_case_queue(selectors.QUEUE_OVERDUE),
            url_name="cases:case_list",
            query=f"queue={selectors.QUEUE_OVERDUE}",
            permission=selectors.VIEW,
            order=30,
        )
    )
    worklists.register(
        worklists.Worklist(
            key="case_mine",
            title=_("Your open cases"),
            items=_case_queue(selectors.QUEUE_MINE),
            url_name="cases:case_list",
            query=f"queue={selectors.QUEUE_MINE}",
            permission=selectors.VIEW,
            order=90,
            breakdown=my_cases_by_stage,
        )
    )
