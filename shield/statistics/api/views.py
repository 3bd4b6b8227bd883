"""The statistics API: indicators, protected tables, and releases with their state machine.

Reads need `statistics.view`; assembling, submitting, recounting and correcting a release
`statistics.release`; approving `statistics.approve` (and being neither the assembler nor the
submitter, which the service checks). A table from `/tables/` is protected exactly as a release
would be, against what approved releases for the period published, so the API never gives away a
value a release suppressed; it publishes displayed values only (no record counts, no ranges).
Writes name the version (If-Match or `version`): stale 412, none 428. Reading a table or a release
is audited.
"""

import uuid
from typing import Any, cast

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, ValidationError
from rest_framework.views import APIView

from shield import audit
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.core.api.pagination import NewestFirstCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import VersionRequired
from shield.people.api.serializers import ErrorSerializer
from shield.people.api.views import ETAG_HEADER, IF_MATCH
from shield.statistics import indicators, reports
from shield.statistics.api.serializers import (
    IndicatorSerializer,
    ProtectedTableSerializer,
    ReleaseCreateSerializer,
    ReleaseDetailSerializer,
    ReleaseReasonSerializer,
    ReleaseSerializer,
    ReleaseVersionSerializer,
    TableQuerySerializer,
)
from shield.statistics.models import Release, ReleaseStatus
from shield.statistics.selectors import releases as release_selectors
from shield.statistics.services import release_content
from shield.statistics.services import releases as release_services

RELEASE_TYPE = Release._meta.label_lower

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(ErrorSerializer, description="Field errors: a list of messages per field."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such release in your reach."),
    409: OpenApiResponse(ErrorSerializer, description="Not allowed in the release's current state."),
    412: OpenApiResponse(
        ErrorSerializer, description="Someone else changed the release first: nothing was saved."
    ),
    428: OpenApiResponse(ErrorSerializer, description="Name the version: If-Match or `version` in the body."),
}


def _permission(read: str, write: str) -> type[BasePermission]:
    class HasCapability(BasePermission):
        def has_permission(self, request: Request, view: APIView) -> bool:
            needed = read if request.method in SAFE_METHODS else write
            return bool(request.user and request.user.has_perm(needed))

    return HasCapability


class _StatisticsAPIView(AuditedRefusals, GenericAPIView):
    # JSON only: the browsable API would render forms outside the selectors and the audit.
    renderer_classes = [JSONRenderer]
    metadata_class = None
    pagination_class = None  # lists that page say so (releases)
    object_type = RELEASE_TYPE
    permission_classes = [IsAuthenticated, _permission(release_selectors.VIEW, release_selectors.RELEASE)]

    def user(self) -> User:
        return cast(User, self.request.user)


class IndicatorListView(_StatisticsAPIView):
    serializer_class = IndicatorSerializer
    object_type = "statistics.indicator"

    @extend_schema(
        operation_id="statistics_indicators_list",
        summary="The indicators Shield counts",
        description=(
            "Every indicator with its unit, the dimensions it may be cut by and its suppression threshold."
        ),
        responses={200: IndicatorSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        data = [
            {
                "code": i.code,
                "name_vi": i.name_vi,
                "name_en": i.name_en,
                "definition_vi": i.definition_vi,
                "definition_en": i.definition_en,
                "unit": i.unit,
                "dimensions": list(i.dimensions),
                "threshold": i.threshold,
            }
            for i in indicators.indicator_list()
        ]
        return Response(IndicatorSerializer(data, many=True).data)


class TableView(_StatisticsAPIView):
    serializer_class = ProtectedTableSerializer
    object_type = "statistics.table"

    @extend_schema(
        operation_id="statistics_tables_retrieve",
        summary="One indicator for one period, protected",
        description=(
            "Counted over your scope and protected (primary and secondary suppression) together with "
            "what approved releases for the period published. Displayed values only. Audited."
        ),
        parameters=[
            OpenApiParameter("indicator", OpenApiTypes.STR, required=True),
            OpenApiParameter(
                "period", OpenApiTypes.STR, required=True, description="2025, 2025-Q3 or 2025-07."
            ),
            OpenApiParameter(
                "dimensions", OpenApiTypes.STR, description="Comma-separated, e.g. sex,age_unodc."
            ),
        ],
        responses={200: ProtectedTableSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        query = TableQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        spec = reports.TableSpec(params["indicator"], tuple(params["dimensions"]))
        earlier = release_selectors.approved_for_period(params["period"])
        try:
            report = reports.report_build(
                user=self.user(),
                period=params["period"],
                specs=[spec],
                published=release_content.published_tables(r.content for r in earlier),
            )
        except ValueError as exc:
            message = _("This table cannot be counted: %(reason)s") % {"reason": exc}
            raise ValidationError({"dimensions": [message]}) from exc
        content = release_content.content_of(report)
        audit.record(
            action=AuditAction.EXPORT,
            actor=self.user(),
            object_type=self.object_type,
            object_id=spec.indicator,
            details={"period": report.period, "dimensions": list(spec.dimensions)},
        )
        return Response(ProtectedTableSerializer(content["tables"][0]).data)


class ReleasePagination(NewestFirstCursorPagination):
    page_size = 25
    max_page_size = 100


class ReleaseListView(_StatisticsAPIView):
    serializer_class = ReleaseSerializer
    pagination_class = ReleasePagination  # type: ignore[assignment]

    @extend_schema(
        operation_id="statistics_releases_list",
        summary="Releases, newest first",
        description="Approved releases; drafts and submitted ones too for those who assemble or approve.",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReleaseStatus.values),
            OpenApiParameter("period", OpenApiTypes.STR),
        ],
        responses={200: ReleaseSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        state = request.query_params.get("status")
        releases = release_selectors.release_list_for(
            user=self.user(),
            status=state if state in ReleaseStatus.values else None,
            period=(request.query_params.get("period") or "")[:20] or None,
        )
        page = self.paginate_queryset(releases)
        assert page is not None
        response = self.get_paginated_response(ReleaseSerializer(page, many=True).data)
        audit.record(action=AuditAction.LIST, actor=self.user(), object_type=RELEASE_TYPE)
        return response

    @extend_schema(
        operation_id="statistics_releases_create",
        summary="Assemble a draft release",
        description="Counts and protects the tables of a table set (or the tables listed) for the period.",
        request=ReleaseCreateSerializer,
        parameters=[ETAG_HEADER],
        responses={201: ReleaseDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def post(self, request: Request) -> Response:
        payload = ReleaseCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        specs = [reports.TableSpec(t["indicator"], tuple(t["dimensions"])) for t in data.get("tables") or []]
        release = release_services.release_create(
            actor=self.user(),
            period=data["period"],
            title_vi=data["title_vi"],
            title_en=data["title_en"],
            table_set=data["table_set"],
            specs=specs or None,
        )
        return with_etag(
            Response(ReleaseDetailSerializer(release).data, status=status.HTTP_201_CREATED), release
        )


class ReleaseDetailView(_StatisticsAPIView):
    serializer_class = ReleaseDetailSerializer

    @extend_schema(
        operation_id="statistics_releases_retrieve",
        summary="A release with its tables and disclosure audit",
        description="Audited as a view of the release.",
        parameters=[ETAG_HEADER],
        responses={200: ReleaseDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: Request, release_id: uuid.UUID) -> Response:
        release = release_selectors.release_get_for(user=self.user(), release_id=release_id)
        response = with_etag(Response(ReleaseDetailSerializer(release).data), release)
        audit.record(action=AuditAction.VIEW, actor=self.user(), obj=release)
        return response


class _ReleaseActionView(_StatisticsAPIView):
    serializer_class: type[BaseSerializer] = ReleaseVersionSerializer
    needs_reason = False
    success_status: int = status.HTTP_200_OK

    def act(self, release: Release, version: int, data: dict[str, Any]) -> Release:
        raise NotImplementedError

    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        release = release_selectors.release_get_for(user=self.user(), release_id=release_id)
        version = expected_version(request, release)  # a stale If-Match answers 412 here already
        if version is None:
            raise VersionRequired()
        payload = (ReleaseReasonSerializer if self.needs_reason else ReleaseVersionSerializer)(
            data=request.data
        )
        payload.is_valid(raise_exception=True)
        result = self.act(release, version, dict(payload.validated_data))
        return with_etag(Response(ReleaseDetailSerializer(result).data, status=self.success_status), result)


def _action_schema(operation: str, summary: str, *, reason: bool = False, created: bool = False) -> Any:
    return extend_schema(
        operation_id=f"statistics_releases_{operation}",
        summary=summary,
        request=ReleaseReasonSerializer if reason else ReleaseVersionSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={(201 if created else 200): ReleaseDetailSerializer, **ERRORS},
    )


class ReleaseSubmitView(_ReleaseActionView):
    @_action_schema("submit", "Submit a draft for approval")
    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        return super().post(request, release_id)

    def act(self, release: Release, version: int, data: dict[str, Any]) -> Release:
        return release_services.release_submit(actor=self.user(), release=release, expected_version=version)


class ReleaseRebuildView(_ReleaseActionView):
    @_action_schema("rebuild", "Recount and re-protect a draft")
    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        return super().post(request, release_id)

    def act(self, release: Release, version: int, data: dict[str, Any]) -> Release:
        return release_services.release_rebuild(actor=self.user(), release=release, expected_version=version)


class ReleaseApproveView(_ReleaseActionView):
    permission_classes = [IsAuthenticated, _permission(release_selectors.VIEW, release_selectors.APPROVE)]

    @_action_schema("approve", "Approve and freeze a submitted release (not by its assembler or submitter)")
    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        return super().post(request, release_id)

    def act(self, release: Release, version: int, data: dict[str, Any]) -> Release:
        return release_services.release_approve(actor=self.user(), release=release, expected_version=version)


class ReleaseReturnView(_ReleaseActionView):
    permission_classes = [IsAuthenticated, _permission(release_selectors.VIEW, release_selectors.VIEW)]
    serializer_class = ReleaseReasonSerializer
    needs_reason = True

    @_action_schema("return", "Return a submitted release to draft, saying why", reason=True)
    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        return super().post(request, release_id)

    def act(self, release: Release, version: int, data: dict[str, Any]) -> Release:
        return release_services.release_return(
            actor=self.user(), release=release, reason=data["reason"], expected_version=version
        )


class ReleaseCorrectView(_ReleaseActionView):
    serializer_class = ReleaseReasonSerializer
    needs_reason = True
    success_status = status.HTTP_201_CREATED

    @_action_schema(
        "correct", "Start a correction: a new draft replacing an approved release", reason=True, created=True
    )
    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        return super().post(request, release_id)

    def act(self, release: Release, version: int, data: dict[str, Any]) -> Release:
        return release_services.release_correct(
            actor=self.user(), release=release, reason=data["reason"], expected_version=version
        )
