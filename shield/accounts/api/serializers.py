"""API shapes for sign-in and the signed-in user."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    otp_token = serializers.CharField(
        max_length=8,
        required=False,
        allow_blank=True,
        help_text=_("Code from the authenticator app, for roles that must use two-factor sign-in."),
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        source="key", help_text=_("Send as `Authorization: Token <token>`. Shown once.")
    )
    id = serializers.UUIDField(source="token.pk")
    prefix = serializers.CharField(source="token.prefix")
    expires_at = serializers.DateTimeField(source="token.expires_at")


class MembershipSerializer(serializers.Serializer):
    agency_id = serializers.UUIDField(source="agency.pk")
    agency = serializers.CharField(source="agency.name")
    province = serializers.CharField(source="agency.province.name")
    role = serializers.CharField()
    scope = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    memberships = MembershipSerializer(many=True, source="active_memberships")
    permissions = serializers.ListField(child=serializers.CharField())
