"""The proceedings part's worklist section: hearings this week (scheduled steps of open proceedings
the officer sees, from today to seven days ahead)."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.justice.proceedings import selectors, worklist

HEARINGS_KEY = "justice_hearings"
WEEK = datetime.timedelta(days=7)


def _window(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return start, start + WEEK


def hearing_rows(user: User, today: datetime.date, limit: int) -> list[worklist.Row]:
    steps = hearings(user, today)[:limit]
    now = timezone.now()
    return [
        worklist.Row(
            proceeding=step.proceeding,
            label=str(step.get_kind_display()),
            due=step.scheduled_for,
            breached=bool(step.scheduled_for and step.scheduled_for < now),
            extra={"agency": step.agency},
        )
        for step in steps
    ]


def hearings(user: User, today: datetime.date) -> QuerySet[Any]:
    start, end = _window(today)
    return selectors.hearings_between(user=user, start=start, end=end)


def register() -> None:
    worklist.register_section(
        worklist.Section(
            key=HEARINGS_KEY,
            title=_("Hearings this week"),
            rows=hearing_rows,
            items=hearings,
            order=20,
        )
    )
