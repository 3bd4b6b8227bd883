"""The intake app's work queues (see `shield.notifications.worklists`): tips waiting for triage,
counted through the tip list's own selector and filters."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.intake import selectors
from shield.intake.models import Tip, TipStatus
from shield.notifications import worklists


def tips_waiting(user: User) -> QuerySet[Tip]:
    return selectors.tip_list_for(user=user, filters=selectors.TipFilters(status=TipStatus.NEW))


def tips_overdue(user: User) -> QuerySet[Tip]:
    return selectors.tip_list_for(user=user, filters=selectors.TipFilters(overdue=True))


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key="intake_tips_overdue",
            title=_("Tips past their triage deadline"),
            items=tips_overdue,
            url_name="intake:tip_list",
            query="overdue=on",
            permission=selectors.TRIAGE,
            order=5,
        )
    )
    worklists.register(
        worklists.Worklist(
            key="intake_tips_new",
            title=_("Tips waiting for triage"),
            items=tips_waiting,
            url_name="intake:tip_list",
            query=f"status={TipStatus.NEW.value}",
            permission=selectors.TRIAGE,
            order=6,
        )
    )
