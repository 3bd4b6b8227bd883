"""Session and sign-in middleware: the sliding idle timeout, and sending a user whose role requires
two-factor sign-in to set it up or confirm it first."""

import time
from collections.abc import Callable

from django.conf import settings
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


class SlidingSessionMiddleware:
    """The idle timeout slides: a request pushes the session's expiry forward, at most once every
    `SHIELD_SESSION_REFRESH_SECONDS` (60).

    Saving the session on every request (`SESSION_SAVE_EVERY_REQUEST`) cost each page an UPDATE of
    the session table and its transaction, however many pages a user opened in a minute; the
    timeout now ends between `SHIELD_IDLE_TIMEOUT_MINUTES` minus a minute and the full value after
    the last request. Placed after SessionMiddleware, so the session it marks is saved on the way out.
    """

    KEY = "_shield_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():  # anonymous, or just signed out
            return response
        now = int(time.time())
        if now - int(session.get(self.KEY, 0)) >= settings.SHIELD_SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return response
