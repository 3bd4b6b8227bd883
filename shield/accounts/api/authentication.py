"""`Authorization: Token <secret>`: the scheme clients already use, checked against hashed tokens
that expire, can be revoked and must have passed two-factor sign-in where the role now needs it."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from shield.accounts import policy, token_services
from shield.accounts.token_models import ApiToken
from shield.core.middleware import client_ip


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing and challenge (`WWW-Authenticate: Token`); our own token store."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        self._request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        invalid = exceptions.AuthenticationFailed(_("Invalid token."))
        if not key or len(key) > token_services.MAX_KEY_LENGTH:
            raise invalid
        token = ApiToken.objects.select_related("user").filter(key_hash=token_services.key_hash(key)).first()
        if token is None:
            raise invalid
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked. Sign in again for a new one."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired. Sign in again for a new one."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        # Checked on every use as well as revoked on the role change: a role made to need two-factor
        # by a setting (SHIELD_TWO_FACTOR_ROLES) has no service call to revoke the older tokens.
        if not token.two_factor and policy.requires_two_factor(user):
            raise exceptions.AuthenticationFailed(
                _("Your role now requires two-factor sign-in. Sign in again with a code for a new token.")
            )
        request = getattr(self, "_request", None)
        token_services.api_token_record_use(
            token=token, ip=client_ip(request._request) if request is not None else None
        )
        return user, token
