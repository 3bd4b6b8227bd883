"""The children's rules over the API (/api/v1/justice/children/...): interviews, diversions,
compliance reports, deadlines and the rules in force.

Reads need `justice.view`, writes `justice.edit`; records come through the proceeding's access
(missing and out of reach both 404). Every detail read writes a `view` audit event. Changes to a
versioned record name its version (If-Match, else `version` in the body): 412 stale, 428 missing.
A session the rules refuse answers 400 with `rules_exceeded`; the justification, when given by an
assigned officer, is returned with the interview wherever it appears. A child's name is masked for
everyone but the officers assigned, and the recording reference is shown only to them.
"""

import uuid
from typing import Any, cast

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.accounts import policy
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.cases.api import schema
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import VersionRequired
from shield.core.models import VersionedModel
from shield.justice.children import rules, selectors, services
from shield.justice.models import (
    DecidingBody,
    Diversion,
    DiversionReport,
    Interview,
    InterviewKind,
    InterviewStatus,
    Party,
    PlaceType,
)
from shield.justice.proceedings import access

# Serializers ------------------------------------------------------------------------------------


class InterviewSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    party = serializers.UUIDField(source="party_id", read_only=True)
    proceeding = serializers.UUIDField(source="proceeding_id", read_only=True)
    kind = serializers.ChoiceField(choices=InterviewKind.choices)
    status = serializers.ChoiceField(choices=InterviewStatus.choices)
    place_type = serializers.ChoiceField(choices=PlaceType.choices)
    child_friendly_room = serializers.BooleanField()
    recorded = serializers.BooleanField()
    recording_reference = serializers.SerializerMethodField()
    representative_present = serializers.BooleanField()
    social_worker_present = serializers.BooleanField()
    others_present = serializers.CharField(max_length=300)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    topics = serializers.ListField(child=serializers.CharField(max_length=120))
    repeated_topics = serializers.ListField(child=serializers.CharField(max_length=120))
    rules_exceeded = serializers.ListField(child=serializers.CharField(max_length=40))
    justification = serializers.CharField(max_length=2000)
    justified_by = serializers.SerializerMethodField()
    rule_law = serializers.CharField(max_length=120)
    cancel_reason = serializers.CharField(max_length=500)

    def get_recording_reference(self, obj: Interview) -> str | None:
        """Only the officers assigned to the proceeding see where the recording is kept."""
        if not obj.recorded:
            return ""
        return obj.recording_reference if access.is_assigned(self.context["user"], obj.proceeding) else None

    def get_justified_by(self, obj: Interview) -> str:
        who = obj.justified_by
        return "" if who is None else (who.get_full_name() or who.get_username())


class InterviewCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InterviewKind.choices)
    status = serializers.ChoiceField(
        choices=[(InterviewStatus.HELD, "held"), (InterviewStatus.PLANNED, "planned")],
        default=InterviewStatus.HELD,
    )
    place_type = serializers.ChoiceField(choices=PlaceType.choices)
    child_friendly_room = serializers.BooleanField(default=False)
    recorded = serializers.BooleanField(default=False)
    recording_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    representative_present = serializers.BooleanField()
    social_worker_present = serializers.BooleanField()
    others_present = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    topics = serializers.ListField(
        child=serializers.CharField(max_length=120),
        max_length=services.MAX_TOPICS,
        required=False,
        default=list,
    )
    justification = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(max_length=500)


class ReportSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    submitted_on = serializers.DateField(read_only=True, allow_null=True)
    compliant = serializers.BooleanField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True, max_length=2000)


class ReportSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    compliant = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DiversionSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    party = serializers.UUIDField(source="party_id", read_only=True)
    proceeding = serializers.UUIDField(source="proceeding_id", read_only=True)
    deciding_body = serializers.ChoiceField(choices=DecidingBody.choices)
    decided_on = serializers.DateField()
    measures = serializers.ListField(child=serializers.CharField(max_length=40))
    supervision_months = serializers.IntegerField()
    supervision_ends_on = serializers.DateField()
    supervisor = serializers.CharField(max_length=200)
    eligibility_reason = serializers.CharField(max_length=500)
    status = serializers.CharField(max_length=12)
    ended_on = serializers.DateField(allow_null=True)
    end_note = serializers.CharField(max_length=2000)
    reports = ReportSerializer(many=True, read_only=True)


class DiversionCreateSerializer(serializers.Serializer):
    deciding_body = serializers.ChoiceField(choices=DecidingBody.choices)
    decided_on = serializers.DateField()
    measures = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=11)
    supervision_months = serializers.IntegerField(min_value=1, max_value=services.MAX_SUPERVISION_MONTHS)
    supervisor = serializers.CharField(max_length=200)


class DiversionEndSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    completed = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DeadlineSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=40)
    name = serializers.CharField(source="label", max_length=120)
    due_at = serializers.DateTimeField()
    met_at = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField(max_length=10)
    law = serializers.CharField(max_length=120)
    verified = serializers.BooleanField()
    overridden = serializers.BooleanField()


class PartyChildSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(source="display_name", max_length=200)
    role = serializers.CharField(max_length=20)
    event_on = serializers.DateField()
    eligibility = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    def get_eligibility(self, obj: Party) -> dict[str, Any] | None:
        verdict = self.context.get("eligibility")
        if verdict is None:
            return None
        return {"eligible": verdict.eligible, "reason": verdict.reason, "verified": verdict.verified}

    def get_deadlines(self, obj: Party) -> list[dict[str, Any]]:
        return list(DeadlineSerializer(self.context["deadlines"], many=True).data)


class RuleSerializer(serializers.Serializer):
    rule_set = serializers.CharField(max_length=40)
    key = serializers.CharField(max_length=60)
    effective_from = serializers.DateField()
    values = serializers.DictField()
    verified = serializers.BooleanField()
    overridden = serializers.BooleanField()


# Views ------------------------------------------------------------------------------------------


class ChildPermission(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        needed = access.VIEW if request.method in SAFE_METHODS else access.EDIT
        return bool(request.user and request.user.has_perm(needed))


class ChildAPIView(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, ChildPermission]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    object_type = Party._meta.label_lower

    def user(self) -> User:
        return cast(User, self.request.user)

    def version_of(self, request: Request, current: VersionedModel) -> int:
        version = expected_version(request, current)
        if version is None:
            raise VersionRequired()
        return version

    def audit_read(self, obj: Any, agency: Any) -> None:
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=agency, obj=obj)


class InterviewPagination(CheckedCursorPagination):
    ordering = ("-started_at", "-id")


def _rule_refused(exc: services.RuleRefused) -> Response:
    return Response(
        {"detail": exc.message, "rules_exceeded": list(exc.breaches)}, status=status.HTTP_400_BAD_REQUEST
    )


class PartyInterviewsView(ChildAPIView):
    serializer_class = InterviewSerializer
    pagination_class = InterviewPagination

    @extend_schema(
        operation_id="justice_child_interviews_list",
        summary="A child party's sessions",
        responses={200: InterviewSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, party_id: uuid.UUID) -> Response:
        party = selectors.child_party_get_for(user=self.user(), party_id=party_id)
        items = party.interviews.select_related("proceeding", "justified_by")
        page = self.paginate_queryset(items)
        assert page is not None
        audit.record(
            action=AuditAction.LIST,
            actor=self.user(),
            object_type=Interview._meta.label_lower,
            object_id=str(party.pk),
        )
        return self.get_paginated_response(
            InterviewSerializer(page, many=True, context={"user": self.user()}).data
        )

    @extend_schema(
        operation_id="justice_child_interviews_create",
        summary="Record a session with a child",
        description=(
            "Refused (400, `rules_exceeded`) beyond the child's limits — a third session the same "
            "day, over two hours, a second confrontation, without the representative or a social "
            "worker — unless an officer assigned to the proceeding gives a `justification`."
        ),
        request=InterviewCreateSerializer,
        responses={201: InterviewSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, party_id: uuid.UUID) -> Response:
        party = selectors.child_party_get_for(user=self.user(), party_id=party_id)
        payload = InterviewCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            interview = services.interview_record(actor=self.user(), party=party, **payload.validated_data)
        except services.RuleRefused as exc:
            return _rule_refused(exc)
        interview = selectors.interview_get_for(user=self.user(), interview_id=interview.pk)
        data = InterviewSerializer(interview, context={"user": self.user()}).data
        return with_etag(Response(data, status=status.HTTP_201_CREATED), interview)


class InterviewDetailView(ChildAPIView):
    serializer_class = InterviewSerializer
    object_type = Interview._meta.label_lower

    @extend_schema(
        operation_id="justice_child_interviews_retrieve",
        summary="Read a session (audited)",
        parameters=[schema.ETAG],
        responses={200: InterviewSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, interview_id: uuid.UUID) -> Response:
        interview = selectors.interview_get_for(user=self.user(), interview_id=interview_id)
        self.audit_read(interview, interview.proceeding.holding_agency)
        return with_etag(
            Response(InterviewSerializer(interview, context={"user": self.user()}).data), interview
        )


class InterviewCancelView(ChildAPIView):
    serializer_class = InterviewSerializer
    object_type = Interview._meta.label_lower

    @extend_schema(
        operation_id="justice_child_interviews_cancel",
        summary="Cancel a planned session",
        request=CancelSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: InterviewSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, interview_id: uuid.UUID) -> Response:
        interview = selectors.interview_get_for(user=self.user(), interview_id=interview_id)
        version = self.version_of(request, interview)
        payload = CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.interview_cancel(
            actor=self.user(),
            interview=interview,
            expected_version=version,
            reason=payload.validated_data["reason"],
        )
        interview = selectors.interview_get_for(user=self.user(), interview_id=interview_id)
        return with_etag(
            Response(InterviewSerializer(interview, context={"user": self.user()}).data), interview
        )


class PartyDiversionsView(ChildAPIView):
    serializer_class = DiversionSerializer
    object_type = Diversion._meta.label_lower

    @extend_schema(
        operation_id="justice_child_diversions_create",
        summary="Record a decision to divert a child",
        description=(
            "Refused (400) for a child the rules in force at the offence do not make eligible; "
            "`detail` says why."
        ),
        request=DiversionCreateSerializer,
        responses={201: DiversionSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, party_id: uuid.UUID) -> Response:
        party = selectors.child_party_get_for(user=self.user(), party_id=party_id)
        payload = DiversionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        diversion = services.diversion_decide(actor=self.user(), party=party, **payload.validated_data)
        diversion = selectors.diversion_get_for(user=self.user(), diversion_id=diversion.pk)
        return with_etag(
            Response(DiversionSerializer(diversion).data, status=status.HTTP_201_CREATED), diversion
        )


class DiversionDetailView(ChildAPIView):
    serializer_class = DiversionSerializer
    object_type = Diversion._meta.label_lower

    @extend_schema(
        operation_id="justice_child_diversions_retrieve",
        summary="Read a diversion with its compliance reports (audited)",
        parameters=[schema.ETAG],
        responses={200: DiversionSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, diversion_id: uuid.UUID) -> Response:
        diversion = selectors.diversion_get_for(user=self.user(), diversion_id=diversion_id)
        self.audit_read(diversion, diversion.proceeding.holding_agency)
        return with_etag(Response(DiversionSerializer(diversion).data), diversion)


class DiversionEndView(ChildAPIView):
    serializer_class = DiversionSerializer
    object_type = Diversion._meta.label_lower

    @extend_schema(
        operation_id="justice_child_diversions_end",
        summary="Complete a diversion, or record its failure (the child returns to the proceeding)",
        request=DiversionEndSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: DiversionSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, diversion_id: uuid.UUID) -> Response:
        diversion = selectors.diversion_get_for(user=self.user(), diversion_id=diversion_id)
        version = self.version_of(request, diversion)
        payload = DiversionEndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.diversion_end(
            actor=self.user(),
            diversion=diversion,
            expected_version=version,
            completed=payload.validated_data["completed"],
            note=payload.validated_data["note"],
        )
        diversion = selectors.diversion_get_for(user=self.user(), diversion_id=diversion_id)
        return with_etag(Response(DiversionSerializer(diversion).data), diversion)


class ReportSubmitView(ChildAPIView):
    serializer_class = ReportSerializer
    object_type = DiversionReport._meta.label_lower

    @extend_schema(
        operation_id="justice_child_reports_submit",
        summary="Submit a compliance report",
        request=ReportSubmitSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: ReportSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, report_id: uuid.UUID) -> Response:
        report = selectors.report_get_for(user=self.user(), report_id=report_id)
        version = self.version_of(request, report)
        payload = ReportSubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.diversion_report_submit(
            actor=self.user(),
            report=report,
            expected_version=version,
            compliant=payload.validated_data["compliant"],
            note=payload.validated_data["note"],
        )
        return with_etag(Response(ReportSerializer(report).data), report)


class PartyChildView(ChildAPIView):
    serializer_class = PartyChildSerializer

    @extend_schema(
        operation_id="justice_child_party_retrieve",
        summary="A child party's deadlines and diversion eligibility (audited)",
        responses={200: PartyChildSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, party_id: uuid.UUID) -> Response:
        party = selectors.child_party_get_for(user=self.user(), party_id=party_id)
        self.audit_read(party, party.proceeding.holding_agency)
        child_rules = rules.ChildRules.current()
        context = {
            "deadlines": selectors.deadlines_of(party, child_rules=child_rules),
            "eligibility": services.party_eligibility(party, child_rules)
            if party.role in rules.ACCUSED_ROLES
            else None,
        }
        return Response(PartyChildSerializer(party, context=context).data)


class RulesPermission(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS and (
            policy.has_permission(request.user, access.VIEW)
            or policy.has_permission(request.user, "accounts.manage_system")
        )


class RulesView(ChildAPIView):
    serializer_class = RuleSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    object_type = "justice.rulevalue"

    @extend_schema(
        operation_id="justice_child_rules_list",
        summary="The children's rules in force today (with administrators' values; unverified marked)",
        responses={200: RuleSerializer(many=True), 403: schema.FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        child_rules = rules.ChildRules.current()
        today = timezone.localdate()
        rows = []
        for name in rules.SETS:
            for key in child_rules.keys(name, today):
                rule = child_rules.rule(name, key, today)
                assert rule is not None
                fields = {k: v for k, v in rule.fields.items() if k not in ("key", "verified", "override")}
                rows.append(
                    {
                        "rule_set": name,
                        "key": key,
                        "effective_from": rule.effective_from,
                        "values": fields,
                        "verified": bool(rule.get("verified")),
                        "overridden": "override" in rule.fields,
                    }
                )
        return Response(RuleSerializer(rows, many=True).data)
