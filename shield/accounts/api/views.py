"""API sign-in (token) and "who am I"."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from shield.accounts import policy, sign_in, token_services
from shield.accounts.api.serializers import MeSerializer, TokenRequestSerializer, TokenResponseSerializer
from shield.accounts.models import User
from shield.accounts.two_factor import device_for_token
from shield.core.middleware import client_ip


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenView(APIView):
    """Exchange username, password (and a two-factor code where the role needs one) for a token."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            user = sign_in.authenticate_guarded(
                request._request,
                username=form.validated_data["username"],
                password=form.validated_data["password"],
            )
        except sign_in.SignInRefused:
            # AxesMiddleware answers refused requests (see shield.accounts.lockout).
            return Response(status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:
            return Response(
                {"detail": _("Unable to sign in with that username and password.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if policy.requires_two_factor(user):
            code = form.validated_data.get("otp_token", "")
            if not code:
                return Response(
                    {"otp_token": [_("Your role requires a code from your authenticator app.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            if device_for_token(user=user, token=code) is None:
                return Response(
                    {"otp_token": [_("That code is not right.")]}, status=status.HTTP_400_BAD_REQUEST
                )
        issued = token_services.api_token_issue(
            user=user, two_factor=policy.requires_two_factor(user), ip=client_ip(request._request)
        )
        return Response(TokenResponseSerializer(issued).data)


class MeView(APIView):
    """The signed-in user, their memberships and what they may do."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        data = {
            "id": user.pk,
            "username": user.username,
            "get_full_name": user.get_full_name(),
            "active_memberships": user.active_memberships(),
            "permissions": sorted(policy.permissions_of(user)),
        }
        return Response(MeSerializer(data).data)
