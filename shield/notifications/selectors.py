"""Reads of a user's own notifications: nobody reads another user's (missing and foreign alike 404)."""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from shield.accounts.models import User
from shield.core.errors import NotFound
from shield.notifications.models import Kind, Notification
from shield.notifications.texts import agencies_named, render

# The bell counts unread notifications up to here and shows "99+" beyond: counting stops early,
# so a user with thousands unread costs the page no more than one with a hundred.
UNREAD_CAP = 99
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def unread_count_for(user: User | AnonymousUser | None) -> int:
    """How many unread notifications the user has, at most UNREAD_CAP + 1: one query (none for
    an anonymous visitor). Read by the bell on every page."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[: UNREAD_CAP + 1].count()


@dataclass(frozen=True)
class NotificationFilters:
    """`unread`: only unread ones; `kind`: one `Kind` value or "" for all."""

    unread: bool = False
    kind: str = ""


def notifications_for(user: User, filters: NotificationFilters | None = None) -> QuerySet[Notification]:
    """The user's own notifications, newest first, filtered; the caller paginates (PAGE_SIZE)."""
    filters = filters or NotificationFilters()
    found = Notification.objects.filter(recipient=user)
    if filters.unread:
        found = found.filter(read_at__isnull=True)
    if filters.kind in Kind.values:
        found = found.filter(kind=filters.kind)
    return found.order_by("-created_at", "-id")


def notification_get_for(*, user: User, notification_id: uuid.UUID | str) -> Notification:
    try:
        return Notification.objects.get(pk=notification_id, recipient=user)
    except (Notification.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


@dataclass(frozen=True)
class Shown:
    """A notification with its sentence in the reader's language."""

    notification: Notification
    text: str


def shown(notifications: list[Notification]) -> list[Shown]:
    """Each notification's sentence; the agencies they name are read in one query."""
    agencies = agencies_named(n.params for n in notifications)
    return [Shown(n, render(n.kind, n.params, agencies)) for n in notifications]


def targets_notified(*, kind: str, target_type: str, target_ids: list[str]) -> set[str]:
    """Which of the targets already raised a notification of `kind` (for a sweep to skip them)."""
    return set(
        Notification.objects.filter(kind=kind, target_type=target_type, target_id__in=target_ids)
        .values_list("target_id", flat=True)
        .distinct()
    )
