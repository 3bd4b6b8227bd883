"""Refuse API query strings that no database can take: a NUL character (400 in the API's shape).

PostgreSQL text cannot hold NUL, so a `?status=%00` reaching a filter was a server error there
(SQLite took it). Request bodies are covered by DRF's CharField, which refuses NUL itself.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from shield.core.errors import ValidationFailed


class ApiQueryCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            bad = sorted(
                {
                    key
                    for key, values in request.GET.lists()
                    if "\x00" in key or any("\x00" in v for v in values)
                }
            )
            if bad:
                message = _("Null characters are not allowed.")
                body = {"detail": str(ValidationFailed.default_message), **{key: [message] for key in bad}}
                return JsonResponse(body, status=400)
        return self.get_response(request)
