"""The follow-up API under /api/v1/returns/: follow-ups (list, one, record with If-Match) and
plans (one). Reads and writes need `returns.follow_up` or `returns.supervise`; rows outside the
user's reach answer 404; every list and every detail read is audited."""

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from shield import audit
from shield.audit.models import AuditAction
from shield.cases.api.schema import ETAG, IF_MATCH
from shield.core.api.fields import EventDateTimeField
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.api.versioning import with_etag
from shield.core.errors import ValidationFailed
from shield.people.selectors import display_name_for
from shield.referrals.support.api_base import ERRORS, VERSIONED, CareAPIView
from shield.returns.followup import selectors, services
from shield.returns.models import FollowUp, FollowUpStatus, NoContactReason, ReintegrationPlan


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    person_name = serializers.SerializerMethodField()
    escalated_at = EventDateTimeField(read_only=True)
    created_at = EventDateTimeField(read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "version", "plan", "person_name", "sequence",
            "months_after", "due_on", "status", "worker", "agency",
            "done_on", "contact_made", "no_contact_reason", "lives_in_province", "lives_in_commune",
            "instrument", "answers", "score_economic", "score_social", "score_psychosocial",
            "score_composite", "escalated_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_person_name(self, obj: FollowUp) -> str:
        return display_name_for(user=self.context["user"], person=obj.plan.person)


class PlanSerializer(serializers.ModelSerializer[ReintegrationPlan]):
    person_name = serializers.SerializerMethodField()
    followups = FollowUpSerializer(many=True, read_only=True)
    contact_lost_requested_at = EventDateTimeField(read_only=True)
    contact_lost_approved_at = EventDateTimeField(read_only=True)

    class Meta:
        model = ReintegrationPlan
        fields = [
            "id", "version", "person", "person_name", "case", "return_record",
            "agency", "worker", "schedule_code",
            "starts_on", "status", "contact_lost_requested_at", "contact_lost_approved_at", "followups",
        ]  # fmt: skip
        read_only_fields = fields

    def get_person_name(self, obj: ReintegrationPlan) -> str:
        return display_name_for(user=self.context["user"], person=obj.person)


class RecordSerializer(serializers.Serializer[Any]):
    done_on = serializers.DateField()
    contact_made = serializers.BooleanField()
    no_contact_reason = serializers.ChoiceField(
        choices=NoContactReason.choices, required=False, allow_blank=True
    )
    no_contact_note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    answers = serializers.DictField(child=serializers.CharField(max_length=40), required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class EarliestDueFirst(CheckedCursorPagination):
    ordering = ("due_on", "id")


class FollowUpView(CareAPIView):
    object_type = FollowUp._meta.label_lower
    read_permissions = selectors.READERS
    write_permissions = (selectors.FOLLOW_UP,)
    serializer_class = FollowUpSerializer


class FollowUpListView(FollowUpView):
    pagination_class = EarliestDueFirst

    @extend_schema(
        parameters=[
            OpenApiParameter("mine", bool),
            OpenApiParameter("due", str, enum=["soon", "overdue"]),
            OpenApiParameter("status", str, enum=FollowUpStatus.values),
        ],
        responses={200: FollowUpSerializer(many=True), **ERRORS},
        summary="Follow-ups in your reach, earliest due first",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        due, status = params.get("due", ""), params.get("status", "")
        if due not in ("", "soon", "overdue"):
            raise ValidationFailed(field_errors={"due": ['Expected "soon" or "overdue".']})
        if status and status not in FollowUpStatus.values:
            raise ValidationFailed(field_errors={"status": ["Not a known status."]})
        filters = selectors.FollowUpFilters(
            mine=params.get("mine") in ("1", "true", "yes", "on"), due=due, status=status
        )
        rows = selectors.followup_list_for(user=self.user(), filters=filters)
        audit.record(action=AuditAction.LIST, actor=self.user(), object_type=self.object_type)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            FollowUpSerializer(page, many=True, context={"user": self.user()}).data
        )


class FollowUpDetailView(FollowUpView):
    @extend_schema(responses={200: FollowUpSerializer, **ERRORS}, parameters=[ETAG], summary="One follow-up")
    def get(self, request: Request, followup_id: uuid.UUID) -> Response:
        row = selectors.followup_get_for(user=self.user(), followup_id=followup_id)
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=row.agency, obj=row)
        return with_etag(Response(FollowUpSerializer(row, context={"user": self.user()}).data), row)


class FollowUpRecordView(FollowUpView):
    @extend_schema(
        request=RecordSerializer,
        responses={200: FollowUpSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Record what a follow-up found (If-Match)",
    )
    def post(self, request: Request, followup_id: uuid.UUID) -> Response:
        row = selectors.followup_get_for(user=self.user(), followup_id=followup_id)
        version = self.version_of(request, row)
        body = RecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        done = services.followup_record(
            actor=self.user(),
            followup=row,
            version=version,
            done_on=data["done_on"],
            contact_made=data["contact_made"],
            no_contact_reason=data.get("no_contact_reason", ""),
            no_contact_note=data.get("no_contact_note", ""),
            answers=data.get("answers") or {},
            notes=data.get("notes", ""),
        )
        return with_etag(Response(FollowUpSerializer(done, context={"user": self.user()}).data), done)


class PlanDetailView(CareAPIView):
    object_type = ReintegrationPlan._meta.label_lower
    read_permissions = selectors.READERS
    write_permissions = (selectors.FOLLOW_UP,)
    serializer_class = PlanSerializer

    @extend_schema(responses={200: PlanSerializer, **ERRORS}, parameters=[ETAG], summary="One plan")
    def get(self, request: Request, plan_id: uuid.UUID) -> Response:
        plan = selectors.plan_get_for(user=self.user(), plan_id=plan_id)
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=plan.agency, obj=plan)
        return with_etag(Response(PlanSerializer(plan, context={"user": self.user()}).data), plan)
