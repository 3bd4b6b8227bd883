"""The alerts API under /api/v1/returns/alerts/: list, one alert, acknowledge (If-Match).

Reads and writes need `returns.follow_up` or `returns.supervise` (403 and an audited refusal
otherwise); an alert outside the user's reach answers 404. Every list and every read of an alert
writes an audit event. The source record is named only by its kind, day and holding agency, with
its page's address only when the caller may open it through its own app.
"""

import datetime
import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from shield import audit
from shield.audit.models import AuditAction
from shield.cases.api.schema import ETAG, IF_MATCH
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.api.versioning import with_etag
from shield.core.errors import ValidationFailed
from shield.people.selectors import display_name_for
from shield.referrals.support.api_base import ERRORS, VERSIONED, CareAPIView
from shield.returns.alerts import selectors, services
from shield.returns.models import MetAgainSource, RevictimisationAlert


class AlertSerializer(serializers.ModelSerializer[RevictimisationAlert]):
    returnee_name = serializers.SerializerMethodField()
    return_reference = serializers.CharField(source="return_record.reference", read_only=True, default=None)
    individual_code = serializers.CharField(source="individual.code", read_only=True, default=None)
    source_agency_name = serializers.CharField(source="source_agency.name", read_only=True)
    owner_agency_name = serializers.CharField(source="owner_agency.name", read_only=True)
    source_url = serializers.SerializerMethodField(
        help_text="The source record's page when you may open it; null: ask the agency that holds it."
    )

    class Meta:
        model = RevictimisationAlert
        fields = [
            "id", "version", "returnee_name", "return_reference", "individual_code", "plan", "source",
            "met_at", "source_agency", "source_agency_name", "source_url", "owner", "owner_agency",
            "owner_agency_name", "acknowledged_at", "acknowledged_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_returnee_name(self, obj: RevictimisationAlert) -> str:
        return display_name_for(user=self.context["user"], person=obj.person)

    def get_source_url(self, obj: RevictimisationAlert) -> str | None:
        if not self.context.get("detail"):
            return None
        return selectors.source_url(user=self.context["user"], alert=obj)


class AcknowledgeSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(required=False, min_value=1)


class NewestMetFirst(CheckedCursorPagination):
    ordering = ("-met_at", "-id")


class AlertView(CareAPIView):
    object_type = RevictimisationAlert._meta.label_lower
    read_permissions = selectors.READERS
    write_permissions = selectors.READERS
    serializer_class = AlertSerializer

    def answer(self, alert: RevictimisationAlert) -> Response:
        data = AlertSerializer(alert, context={"user": self.user(), "detail": True}).data
        return with_etag(Response(data), alert)


def _day(params: Any, name: str) -> datetime.date | None:
    raw = params.get(name) or ""
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise ValidationFailed(field_errors={name: ["Expected a day as YYYY-MM-DD."]}) from exc


class AlertListView(AlertView):
    pagination_class = NewestMetFirst

    @extend_schema(
        parameters=[
            OpenApiParameter("mine", bool),
            OpenApiParameter("acknowledged", str, enum=["yes", "no"]),
            OpenApiParameter("source", str, enum=MetAgainSource.values),
            OpenApiParameter("met_from", datetime.date),
            OpenApiParameter("met_to", datetime.date),
        ],
        responses={200: AlertSerializer(many=True), **ERRORS},
        summary="Re-victimisation alerts in your reach, newest meeting first",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        acknowledged = params.get("acknowledged", "")
        if acknowledged not in ("", "yes", "no"):
            raise ValidationFailed(field_errors={"acknowledged": ['Expected "yes" or "no".']})
        source = params.get("source", "")
        if source and source not in MetAgainSource.values:
            raise ValidationFailed(field_errors={"source": ["Not a known source."]})
        filters = selectors.AlertFilters(
            mine=params.get("mine") in ("1", "true", "yes", "on"),
            acknowledged=acknowledged,
            source=source,
            met_from=_day(params, "met_from"),
            met_to=_day(params, "met_to"),
        )
        rows = selectors.alert_list_for(user=self.user(), filters=filters)
        audit.record(action=AuditAction.LIST, actor=self.user(), object_type=self.object_type)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            AlertSerializer(page, many=True, context={"user": self.user()}).data
        )


class AlertDetailView(AlertView):
    @extend_schema(responses={200: AlertSerializer, **ERRORS}, parameters=[ETAG], summary="One alert")
    def get(self, request: Request, alert_id: uuid.UUID) -> Response:
        alert = selectors.alert_get_for(user=self.user(), alert_id=alert_id)
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=alert.owner_agency, obj=alert)
        return self.answer(alert)


class AlertAcknowledgeView(AlertView):
    @extend_schema(
        request=AcknowledgeSerializer,
        responses={200: AlertSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Acknowledge an alert (you have seen it and take it on)",
    )
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        alert = selectors.alert_get_for(user=self.user(), alert_id=alert_id)
        version = self.version_of(request, alert)
        AcknowledgeSerializer(data=request.data).is_valid(raise_exception=True)
        done = services.alert_acknowledge(actor=self.user(), alert=alert, version=version)
        return self.answer(done)
