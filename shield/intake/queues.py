"""The intake app's work queues (see `shield.notifications.worklists`): tips waiting for triage,
counted through the tip list's own selector and filters."""

from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.intake import selectors
from shield.intake.models import TipStatus
from shield.notifications import worklists


def tips_waiting_count(user: User) -> int:
    tips = selectors.tip_list_for(user=user, filters=selectors.TipFilters(status=TipStatus.NEW))
    return worklists.capped_count(tips)


def tips_overdue_count(user: User) -> int:
    return worklists.capped_count(
        selectors.tip_list_for(user=user, filters=selectors.TipFilters(overdue=True))
    )


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key="intake_tips_overdue",
            title=_("Tips past their triage deadline"),
            count=tips_overdue_count,
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
            count=tips_waiting_count,
            url_name="intake:tip_list",
            query=f"status={TipStatus.NEW.value}",
            permission=selectors.TRIAGE,
            order=6,
        )
    )
