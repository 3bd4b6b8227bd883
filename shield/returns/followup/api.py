"""The follow-up API under /api/v1/returns/: follow-ups (list, one, record with If-Match) and
plans (create, one, reassign with If-Match). Reads and writes need `returns.follow_up` or
`returns.supervise` (creating a plan `returns.follow_up`); rows outside the user's reach answer
404; every list and every detail read is audited."""

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
from shield.core.errors import PermissionRefused, ValidationFailed
from shield.people.selectors import display_name_for, person_get_for
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


class PlanCreateSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField()
    case = serializers.UUIDField(required=False, allow_null=True)
    schedule = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="A schedule in force on the start date"
    )
    starts_on = serializers.DateField()
    goals = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    worker = serializers.UUIDField(help_text="A member of your agency who does follow-ups")


class ContactLostSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class ReassignSerializer(serializers.Serializer[Any]):
    worker = serializers.UUIDField(help_text="A member of the plan's agency who does follow-ups")


def _worker(workers: Any, worker_id: uuid.UUID) -> Any:
    found = workers.filter(pk=worker_id).first()
    if found is None:
        raise ValidationFailed(field_errors={"worker": ["Not a worker of the agency who does follow-ups."]})
    return found


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


class PlanView(CareAPIView):
    object_type = ReintegrationPlan._meta.label_lower
    read_permissions = selectors.READERS
    write_permissions: tuple[str, ...] = (selectors.FOLLOW_UP,)
    serializer_class = PlanSerializer


class PlanCreateView(PlanView):
    @extend_schema(
        request=PlanCreateSerializer,
        responses={201: PlanSerializer, **ERRORS},
        parameters=[ETAG],
        summary="Start a reintegration plan (its follow-ups are scheduled)",
    )
    def post(self, request: Request) -> Response:
        user = self.user()
        agency = user.primary_agency
        if agency is None:
            raise PermissionRefused("Only a member of an agency starts a reintegration plan.")
        body = PlanCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person = person_get_for(user=user, person_id=data["person"])
        case = None
        if data.get("case"):
            reachable = selectors.cases_of_person_for(user=user, person_id=person.pk)
            case = reachable.filter(pk=data["case"]).first()
            if case is None:
                raise ValidationFailed(field_errors={"case": ["No such case of this person in your reach."]})
        plan = services.plan_create(
            actor=user,
            person=person,
            agency=agency,
            worker=_worker(selectors.workers_of(agency), data["worker"]),
            starts_on=data["starts_on"],
            goals=data.get("goals", ""),
            case=case,
            schedule_code=data.get("schedule", ""),
        )
        plan = selectors.plan_get_for(user=user, plan_id=plan.pk)
        return with_etag(Response(PlanSerializer(plan, context={"user": user}).data, status=201), plan)


class PlanReassignView(PlanView):
    write_permissions = selectors.READERS

    @extend_schema(
        request=ReassignSerializer,
        responses={200: PlanSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Reassign a plan's responsible worker (If-Match)",
    )
    def post(self, request: Request, plan_id: uuid.UUID) -> Response:
        plan = selectors.plan_get_for(user=self.user(), plan_id=plan_id)
        version = self.version_of(request, plan)
        body = ReassignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        worker = _worker(selectors.workers_of(plan.agency), body.validated_data["worker"])
        done = services.plan_reassign(
            actor=self.user(), plan=plan, worker=worker, agency=plan.agency, version=version
        )
        return with_etag(Response(PlanSerializer(done, context={"user": self.user()}).data), done)


class PlanDetailView(PlanView):
    @extend_schema(responses={200: PlanSerializer, **ERRORS}, parameters=[ETAG], summary="One plan")
    def get(self, request: Request, plan_id: uuid.UUID) -> Response:
        plan = selectors.plan_get_for(user=self.user(), plan_id=plan_id)
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=plan.agency, obj=plan)
        return with_etag(Response(PlanSerializer(plan, context={"user": self.user()}).data), plan)


class ContactLostReportView(PlanView):
    @extend_schema(
        request=ContactLostSerializer,
        responses={200: PlanSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Report that contact with the person was lost (If-Match; a supervisor approves)",
    )
    def post(self, request: Request, plan_id: uuid.UUID) -> Response:
        plan = selectors.plan_get_for(user=self.user(), plan_id=plan_id)
        version = self.version_of(request, plan)
        body = ContactLostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.contact_lost_report(
            actor=self.user(), plan=plan, reason=body.validated_data["reason"], version=version
        )
        return with_etag(Response(PlanSerializer(done, context={"user": self.user()}).data), done)


class ContactLostApproveView(PlanView):
    write_permissions = (selectors.SUPERVISE,)

    @extend_schema(
        request=None,
        responses={200: PlanSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Approve a reported loss of contact (If-Match; another user than the reporter)",
    )
    def post(self, request: Request, plan_id: uuid.UUID) -> Response:
        plan = selectors.plan_get_for(user=self.user(), plan_id=plan_id)
        version = self.version_of(request, plan)
        done = services.contact_lost_approve(actor=self.user(), plan=plan, version=version)
        return with_etag(Response(PlanSerializer(done, context={"user": self.user()}).data), done)
