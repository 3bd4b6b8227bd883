"""Sends a user whose role requires two-factor sign-in to set it up or confirm it first."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from shield.accounts import policy

_OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/logout/", "/accounts/two-factor/", "/accounts/login/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and policy.requires_two_factor(user)
            and not getattr(user, "is_verified", lambda: False)()
        ):
            from django_otp import user_has_device

            target = "accounts:two_factor_verify" if user_has_device(user) else "accounts:two_factor_setup"
            return HttpResponseRedirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
