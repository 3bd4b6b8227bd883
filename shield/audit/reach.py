"""Auditing requests for records outside the user's reach, without letting them flood the chain.

The user gets "not found" for a record that is missing and for one outside their reach alike;
the audit log tells them apart. Within each window of `SHIELD_AUDIT_REACH_WINDOW_MINUTES`
(60 by default), per user:

- the first `SHIELD_AUDIT_REACH_LIMIT` requests (20 by default) each write an `out_of_reach` event
  naming the record's type and id, except a record already named in this window (a reloaded
  page says nothing new);
- further requests are only counted; once the window has ended, one `out_of_reach_summary` event
  gives the count (`details`: requests, recorded, window_start, window_end). A window that never
  reached the limit needs no summary: each record asked for has its event.

So a user walking through 3,664 real ids in an hour leaves 20 events naming the first records
and one summary with the number, and a mistyped link leaves one event. The counter is a row per
user and window in the database (`OutOfReachWindow`), so every process and server counts alike.
A window's summary is written when that user next asks for a record out of reach, and for every
ended window by `manage.py audit_anchor` (daily), so it is never later than the next anchor.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shield.audit.models import AuditAction, AuditEvent, OutOfReachWindow
from shield.audit.services import record

DEFAULT_WINDOW_MINUTES = 60
DEFAULT_LIMIT = 20


def _window() -> datetime.timedelta:
    minutes = int(getattr(settings, "SHIELD_AUDIT_REACH_WINDOW_MINUTES", DEFAULT_WINDOW_MINUTES))
    return datetime.timedelta(minutes=max(minutes, 1))


def _limit() -> int:
    return max(int(getattr(settings, "SHIELD_AUDIT_REACH_LIMIT", DEFAULT_LIMIT)), 0)


def window_start(moment: datetime.datetime) -> datetime.datetime:
    """The start of the window holding `moment`: windows are counted from the Unix epoch in UTC."""
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    size = _window()
    return epoch + ((moment - epoch) // size) * size


def _summarise(window: OutOfReachWindow) -> None:
    """Write the window's summary if the limit cut requests off, then drop the counter.

    Below the limit every record asked for has its event (repeats of one record are not news)."""
    if window.recorded >= _limit() and window.requests > window.recorded:
        record(
            action=AuditAction.OUT_OF_REACH_SUMMARY,
            actor=window.actor,
            details={
                "requests": window.requests,
                "recorded": window.recorded,
                "window_start": window.window_start.astimezone(datetime.UTC).isoformat(),
                "window_end": (window.window_start + _window()).astimezone(datetime.UTC).isoformat(),
            },
        )
    OutOfReachWindow.objects.filter(pk=window.pk).delete()


def close_ended_windows(*, actor: Any = None, now: datetime.datetime | None = None) -> int:
    """Summarise every window that has ended (only `actor`'s when given); returns how many."""
    current = window_start(now or timezone.now())
    with transaction.atomic():
        ended = OutOfReachWindow.objects.select_for_update().filter(window_start__lt=current)
        if actor is not None:
            ended = ended.filter(actor=actor)
        windows = list(ended.select_related("actor").order_by("window_start", "actor_id"))
        for window in windows:
            _summarise(window)
    return len(windows)


def _already_named(actor: Any, since: datetime.datetime, object_type: str, object_id: str) -> bool:
    return AuditEvent.objects.filter(
        action=AuditAction.OUT_OF_REACH,
        object_type=object_type,
        object_id=object_id,
        actor=actor,
        occurred_at__gte=since,
    ).exists()


def record_out_of_reach(*, actor: Any, requested: Iterable[tuple[str, str]]) -> None:
    """Count and, within the window's limit, record the records out of reach `actor` asked for."""
    hits = list(dict.fromkeys(requested))
    if not hits:
        return
    now = timezone.now()
    start = window_start(now)
    limit = _limit()
    close_ended_windows(actor=actor, now=now)
    with transaction.atomic():
        window, _ = OutOfReachWindow.objects.select_for_update().get_or_create(
            actor=actor, window_start=start
        )
        for object_type, object_id in hits:
            window.requests += 1
            if window.recorded < limit and not _already_named(actor, start, object_type, object_id):
                record(
                    action=AuditAction.OUT_OF_REACH,
                    actor=actor,
                    object_type=object_type,
                    object_id=object_id,
                )
                window.recorded += 1
        window.save(update_fields=["requests", "recorded"])
