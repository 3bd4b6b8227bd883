"""API of support given at reception (mounted under /api/v1/returns/ by `support_urlpatterns`):
the support given to one returnee received (list, newest first) and giving it (201). Reading needs
`returns.view`, giving `returns.receive`, each reaching the reception's agency (else 404 / 403).
A delivery is the referrals app's: read one or void it at /api/v1/referrals/deliveries/<id>/."""

import uuid
from decimal import Decimal
from typing import Any

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shield import audit
from shield.audit.models import AuditAction
from shield.core.api.versioning import with_etag
from shield.referrals.models import SupportDelivery
from shield.referrals.support.api import DeliverySerializer
from shield.referrals.support.api_base import ERRORS, CareAPIView, NewestDeliveredFirst
from shield.returns.models import ReceptionMember
from shield.returns.reception import selectors, support, support_selectors
from shield.returns.reception.selectors import VIEW
from shield.returns.reception.support_forms import DEFAULT_TYPE


class GiveSerializer(serializers.Serializer[Any]):
    support_type = serializers.CharField(
        max_length=40,
        default=DEFAULT_TYPE,
        help_text="A service-type code of the directory's taxonomy (data/service_types.json).",
    )
    delivered_on = serializers.DateField()
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), default=Decimal(1)
    )
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    amount_vnd = serializers.IntegerField(
        min_value=0, max_value=10_000_000_000, required=False, allow_null=True
    )
    deviation_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MemberSupportView(CareAPIView):
    object_type = ReceptionMember._meta.label_lower
    read_permissions = (VIEW,)
    write_permissions = (support.RECEIVE,)
    serializer_class = DeliverySerializer
    pagination_class = NewestDeliveredFirst

    @extend_schema(
        responses={200: DeliverySerializer(many=True), **ERRORS},
        summary="Support given at reception to one returnee, newest first",
    )
    def get(self, request: Request, member_id: uuid.UUID) -> Response:
        user = self.user()
        member = selectors.member_get_for(user=user, member_id=member_id)
        audit.record(
            action=AuditAction.VIEW,
            actor=user,
            agency=member.event.agency,
            obj=member,
            details={"part": "support"},
        )
        page = self.paginate_queryset(support_selectors.member_support_list(member=member))
        return self.get_paginated_response(DeliverySerializer(page, many=True, context={"user": user}).data)

    @extend_schema(
        request=GiveSerializer,
        responses={201: DeliverySerializer, **ERRORS},
        summary="Record support given at once at reception (meals, travel home)",
    )
    def post(self, request: Request, member_id: uuid.UUID) -> Response:
        user = self.user()
        member = selectors.member_get_for(user=user, member_id=member_id)
        given = GiveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        delivery: SupportDelivery = support.member_support_give(
            actor=user,
            member=member,
            support_type=data["support_type"],
            delivered_on=data["delivered_on"],
            quantity=data["quantity"],
            unit=data["unit"],
            amount_vnd=data.get("amount_vnd"),
            deviation_reason=data["deviation_reason"],
        )
        body = DeliverySerializer(delivery, context={"user": user}).data
        return with_etag(Response(body, status=status.HTTP_201_CREATED), delivery)


support_urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "receptions/members/<uuid:member_id>/support/",
        MemberSupportView.as_view(),
        name="api-member-support",
    ),
]
