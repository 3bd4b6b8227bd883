"""The support API under /api/v1/referrals/: deliveries (list, record, read, void) and regimes.

Reads need `cases.view` or `referrals.deliver`, writes `cases.edit` or `referrals.deliver`; the
services decide the finer rules (the provider's staff, or the case's workers for an external
provider). Every read of a delivery and every list writes an audit event.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shield import audit
from shield.audit.models import AuditAction
from shield.cases.api.schema import ETAG, IF_MATCH
from shield.cases.models import CarePlanAction
from shield.core.api.versioning import with_etag
from shield.core.errors import ValidationFailed
from shield.core.lookups import one_or_not_found
from shield.people.selectors import display_name_for
from shield.referrals.models import Provider, Referral, SupportDelivery
from shield.referrals.support import access, regimes, selectors, services
from shield.referrals.support.api_base import ERRORS, VERSIONED, CareAPIView, NewestDeliveredFirst

READ = ("cases.view", access.DELIVER, access.RECEPTION_VIEW)
# Recording here is under a referral or a care-plan action; immediate support is recorded through
# the returns API (reception), but its reception staff may void it here.
WRITE = ("cases.edit", access.DELIVER)
VOID = (*WRITE, access.RECEIVE)


class DeliverySerializer(serializers.ModelSerializer[SupportDelivery]):
    person_name = serializers.SerializerMethodField()
    # Empty for immediate support given before any case, or by an agency without a directory entry.
    case_reference = serializers.CharField(
        source="case.reference", read_only=True, allow_null=True, default=None
    )
    provider_name = serializers.CharField(
        source="provider.name", read_only=True, allow_null=True, default=None
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True, allow_null=True, default=None)
    # A service-type code of the directory's taxonomy: the taxonomy is data, so the schema shows a
    # string, like a service's `service_type` (the service validates the code).
    support_type = serializers.CharField(read_only=True)

    class Meta:
        model = SupportDelivery
        fields = [
            "id", "version", "case", "case_reference", "person_name", "referral", "care_plan_action",
            "immediate", "agency", "agency_name", "provider", "provider_name", "support_type",
            "delivered_on", "quantity", "unit", "amount_vnd",
            "suggested_amount_vnd", "regime_basis", "deviation_reason", "voided_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_person_name(self, obj: SupportDelivery) -> str:
        return display_name_for(user=self.context["user"], person=obj.person)


class DeliveryWriteSerializer(serializers.Serializer[Any]):
    referral = serializers.UUIDField(required=False, allow_null=True)
    care_plan_action = serializers.UUIDField(required=False, allow_null=True)
    provider = serializers.UUIDField(required=False, allow_null=True)
    support_type = serializers.CharField(
        max_length=40, help_text="A service-type code of the directory's taxonomy (data/service_types.json)."
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


class VoidSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(required=False, min_value=1)


class RegimeSerializer(serializers.Serializer[Any]):
    support_type = serializers.CharField()
    kind = serializers.CharField()
    amount_vnd = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()
    legal_basis = serializers.CharField()
    verified = serializers.BooleanField()
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)


class DeliveryView(CareAPIView):
    object_type = SupportDelivery._meta.label_lower
    read_permissions = READ
    write_permissions: tuple[str, ...] = WRITE
    serializer_class = DeliverySerializer

    def answer(self, delivery: SupportDelivery, *, status_code: int = status.HTTP_200_OK) -> Response:
        data = DeliverySerializer(delivery, context={"user": self.user()}).data
        return with_etag(Response(data, status=status_code), delivery)


class DeliveryListView(DeliveryView):
    pagination_class = NewestDeliveredFirst

    @extend_schema(
        parameters=[
            OpenApiParameter("support_type", str),
            OpenApiParameter("case", uuid.UUID),
            OpenApiParameter("include_voided", bool),
        ],
        responses={200: DeliverySerializer(many=True), **ERRORS},
        summary="Support delivered in your reach, newest first",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        try:
            case_id = uuid.UUID(params["case"]) if params.get("case") else None
        except ValueError as exc:
            raise ValidationFailed(field_errors={"case": ["Not a valid id."]}) from exc
        filters = selectors.DeliveryFilters(
            support_type=params.get("support_type", "")[:40],
            case_id=case_id,
            include_voided=params.get("include_voided") in ("1", "true", "yes"),
        )
        rows = selectors.delivery_list_for(user=self.user(), filters=filters)
        audit.record(action=AuditAction.LIST, actor=self.user(), object_type=self.object_type)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            DeliverySerializer(page, many=True, context={"user": self.user()}).data
        )

    @extend_schema(
        request=DeliveryWriteSerializer,
        responses={201: DeliverySerializer, **ERRORS},
        summary="Record support delivered",
    )
    def post(self, request: Request) -> Response:
        given = DeliveryWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = self.user()
        referral = action = provider = None
        if data.get("referral"):
            referral = one_or_not_found(
                Referral.objects.filter(
                    access.staff_q(user, access.DELIVER, provider_path="provider")
                    | access.visible_cases_q(user, case_path="case")
                ),
                data["referral"],
            )
        if data.get("care_plan_action"):
            action = one_or_not_found(
                CarePlanAction.objects.filter(access.visible_cases_q(user, case_path="goal__plan__case")),
                data["care_plan_action"],
            )
        if data.get("provider"):
            provider = one_or_not_found(Provider.objects.all(), data["provider"])
        delivery = services.support_delivery_record(
            actor=user,
            referral=referral,
            care_plan_action=action,
            provider=provider,
            support_type=data["support_type"],
            delivered_on=data["delivered_on"],
            quantity=data["quantity"],
            unit=data["unit"],
            amount_vnd=data.get("amount_vnd"),
            deviation_reason=data["deviation_reason"],
        )
        return self.answer(delivery, status_code=status.HTTP_201_CREATED)


class DeliveryDetailView(DeliveryView):
    @extend_schema(responses={200: DeliverySerializer, **ERRORS}, parameters=[ETAG], summary="One delivery")
    def get(self, request: Request, delivery_id: uuid.UUID) -> Response:
        delivery = selectors.delivery_get_for(user=self.user(), delivery_id=delivery_id)
        audit.record(
            action=AuditAction.VIEW, actor=self.user(), agency=delivery.answering_agency, obj=delivery
        )
        return self.answer(delivery)


class DeliveryVoidView(DeliveryView):
    write_permissions = VOID

    @extend_schema(
        request=VoidSerializer,
        responses={200: DeliverySerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Void a delivery recorded by mistake (kept, out of the totals)",
    )
    def post(self, request: Request, delivery_id: uuid.UUID) -> Response:
        delivery = selectors.delivery_get_for(user=self.user(), delivery_id=delivery_id)
        version = self.version_of(request, delivery)
        given = VoidSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        voided = services.support_delivery_void(
            actor=self.user(), delivery=delivery, version=version, reason=given.validated_data["reason"]
        )
        return self.answer(voided)


class RegimeListView(CareAPIView):
    object_type = "referrals.supportregime"
    read_permissions = READ
    serializer_class = RegimeSerializer

    @extend_schema(
        parameters=[OpenApiParameter("on", datetime.date, description="The day (default: today).")],
        responses={200: RegimeSerializer(many=True), **ERRORS},
        summary="Support regimes in force on a day",
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("on", "")
        try:
            day = datetime.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError as exc:
            raise ValidationFailed(field_errors={"on": ["A date such as 2026-01-31."]}) from exc
        found = regimes.regimes_in_force(day)
        return Response(RegimeSerializer(found, many=True).data)
