"""API tokens through the API: list your own, revoke one or all, sign out (revoke the token of this
request); agency administrators list and revoke their members' tokens. The secret is never shown
again after its issue."""

import uuid
from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield.accounts import token_selectors, token_services
from shield.accounts.models import User
from shield.accounts.token_models import ApiToken, RevokeReason, TokenStatus
from shield.audit.api_refusals import AuditedRefusals
from shield.core.errors import NotFound

TOKEN_TYPE = ApiToken._meta.label_lower


class ApiTokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    status = serializers.ChoiceField(choices=TokenStatus.choices, read_only=True)
    revoke_reason = serializers.ChoiceField(choices=RevokeReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "prefix",
            "username",
            "status",
            "created_at",
            "created_ip",
            "expires_at",
            "two_factor",
            "last_used_at",
            "last_used_ip",
            "revoked_at",
            "revoke_reason",
        ]
        read_only_fields = fields


RevokedCount = inline_serializer("RevokedCount", fields={"revoked": serializers.IntegerField()})


class _TokenAPIView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    serializer_class = ApiTokenSerializer

    def user(self) -> User:
        return cast(User, self.request.user)


class TokenListView(_TokenAPIView, ListAPIView):
    """Your own tokens, newest first: live, expired and revoked."""

    def get_queryset(self) -> QuerySet[ApiToken]:
        return token_selectors.token_list_own(user=self.user())


class ManagesAgency(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm(token_selectors.MANAGE))


class MemberTokenListView(AuditedRefusals, _TokenAPIView, ListAPIView):
    """Tokens of the members of the agencies you administer (a system administrator: everyone's)."""

    permission_classes = [IsAuthenticated, ManagesAgency]

    object_type = TOKEN_TYPE

    def refused_object_id(self) -> str:
        return ""

    def _uuid_param(self, name: str) -> uuid.UUID | None:
        raw = self.request.query_params.get(name)
        if not raw:
            return None
        try:
            return uuid.UUID(raw)
        except ValueError as exc:
            raise serializers.ValidationError({name: [_("Not a valid id.")]}) from exc

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "agency", OpenApiTypes.UUID, description=gettext_lazy("Only this agency's members.")
            ),
            OpenApiParameter(
                "user", OpenApiTypes.UUID, description=gettext_lazy("Only this member's tokens.")
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ApiToken]:
        return token_selectors.token_list_managed_by(
            user=self.user(), agency_id=self._uuid_param("agency"), owner_id=self._uuid_param("user")
        )


class TokenRevokeView(_TokenAPIView):
    """Revoke one token: your own, or one of a member of an agency you administer."""

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    def post(self, request: Request, token_id: uuid.UUID) -> Response:
        user = self.user()
        try:
            token = token_selectors.token_get_revocable_by(user=user, token_id=token_id)
        except NotFound:
            return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        reason = RevokeReason.OWNER if token.user_id == user.pk else RevokeReason.ADMINISTRATOR
        token_services.api_token_revoke(actor=user, token=token, reason=reason)
        return Response(ApiTokenSerializer(token).data)


class TokenRevokeAllView(_TokenAPIView):
    """Revoke every live token of your own, the one of this request included."""

    @extend_schema(request=None, responses={200: RevokedCount})
    def post(self, request: Request) -> Response:
        user = self.user()
        revoked = token_services.api_tokens_revoke(actor=user, user=user, reason=RevokeReason.OWNER)
        return Response({"revoked": revoked})


class TokenSignOutView(_TokenAPIView):
    """Sign out: revoke the token this request was made with."""

    @extend_schema(
        request=None,
        responses={
            204: None,
            400: OpenApiResponse(description=gettext_lazy("This request was not made with an API token.")),
        },
    )
    def post(self, request: Request) -> Response:
        token = request.auth
        if not isinstance(token, ApiToken):
            return Response(
                {"detail": _("This request was not made with an API token.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token_services.api_token_revoke(actor=self.user(), token=token, reason=RevokeReason.SIGN_OUT)
        return Response(status=status.HTTP_204_NO_CONTENT)
