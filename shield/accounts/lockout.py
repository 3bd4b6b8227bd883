"""What a locked-out client sees: the lockout page in a browser, a JSON error from the API."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = _("Too many failed sign-in attempts: this account is locked for a while.")
        return JsonResponse({"detail": message}, status=LOCKED_STATUS)
    return render(request, "accounts/locked_out.html", status=LOCKED_STATUS)
