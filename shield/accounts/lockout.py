"""What a refused sign-in sees: the lockout page in a browser, a JSON error from the API.

Two refusals share this answer: an account locked after repeated failures, and a client address
blocked for a short while after many failures across usernames (shield.accounts.sign_in).
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    address_blocked = bool(getattr(request, "shield_address_blocked", False))
    response: HttpResponse
    if request.path.startswith("/api/"):
        if address_blocked:
            message = _("Too many failed sign-in attempts from your network: try again in a few minutes.")
        else:
            message = _("Too many failed sign-in attempts: this account is locked for a while.")
        response = JsonResponse({"detail": message}, status=LOCKED_STATUS)
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {
                "address_blocked": address_blocked,
                "block_minutes": settings.SHIELD_ADDRESS_BLOCK_MINUTES,
                "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
            status=LOCKED_STATUS,
        )
    retry_after = getattr(request, "shield_retry_after", None)
    response["Retry-After"] = str(retry_after or int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
