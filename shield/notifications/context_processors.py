"""The bell in the top bar: the unread count, read only when a page's template shows it."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import cached_property

from shield.notifications.selectors import UNREAD_CAP, unread_count_for


class Bell:
    """Counts on first use, so a response that renders no top bar (htmx fragments, redirects,
    the API) costs no query; one query for a page that does."""

    def __init__(self, request: HttpRequest) -> None:
        self._user = request.user

    @cached_property
    def unread(self) -> int:
        return unread_count_for(self._user)

    @property
    def label(self) -> str:
        return f"{UNREAD_CAP}+" if self.unread > UNREAD_CAP else str(self.unread)


def notification_bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(settings, "SHIELD_NOTIFICATION_BELL", True):
        return {}
    return {"notification_bell": Bell(request)}
