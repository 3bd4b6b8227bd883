"""The task worker (`manage.py db_worker`): whether a queued task has waited too long for it.

Queued work (a linkage run, an audit chain verification) is picked up by the worker within a
second or two when one is running. Work still queued after `SHIELD_TASK_PICKUP_SECONDS` (60 by
default) means no worker runs: the pages say so, with what to do.
"""

import datetime

from django.conf import settings
from django.utils import timezone

DEFAULT_PICKUP_SECONDS = 60


def pickup_grace() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=int(getattr(settings, "SHIELD_TASK_PICKUP_SECONDS", DEFAULT_PICKUP_SECONDS))
    )


def not_picked_up(*, queued_at: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """Whether work queued at `queued_at` and still queued has waited longer than a worker takes."""
    return (now or timezone.now()) - queued_at > pickup_grace()
