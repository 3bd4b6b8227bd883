"""The linkage API: the same selectors and services as the pages.

Review pairs need `linkage.review` and list only pairs whose two persons the caller may see (404
otherwise); reading one is audited as a view of the pair and of both persons. A decision names
the version it is based on (If-Match or `version`): stale 412, none 428, nothing written. Runs
need `linkage.run`.
"""

import uuid
from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.core.access import AccessSubject
from shield.core.api.pagination import CheckedCursorPagination, NewestFirstCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import VersionRequired
from shield.linkage import selectors, services
from shield.linkage.api.serializers import PairDecisionSerializer, ReviewPairSerializer, RunSerializer
from shield.linkage.models import LinkageRun, PairStatus, ReviewPair
from shield.people.api.serializers import ErrorSerializer
from shield.people.api.views import ETAG_HEADER, IF_MATCH

PAIR_TYPE = ReviewPair._meta.label_lower
RUN_TYPE = LinkageRun._meta.label_lower

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(ErrorSerializer, description="Field errors: a list of messages per field."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such pair in your reach."),
    409: OpenApiResponse(ErrorSerializer, description="Not allowed in the current state."),
    412: OpenApiResponse(
        ErrorSerializer, description="Someone else decided the pair first: nothing was saved."
    ),
    428: OpenApiResponse(ErrorSerializer, description="Name the version: If-Match or `version` in the body."),
}


class ReviewQueuePagination(CheckedCursorPagination):
    ordering = ("-match_probability", "id")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


def _permission(needed: str) -> type[BasePermission]:
    class HasCapability(BasePermission):
        def has_permission(self, request: Request, view: APIView) -> bool:
            return bool(request.user and request.user.has_perm(needed))

    return HasCapability


class _LinkageAPIView(AuditedRefusals, GenericAPIView):
    object_type = ""
    # JSON only: the browsable API would render records outside the selectors and the audit.
    renderer_classes = [JSONRenderer]

    def user(self) -> User:
        return cast(User, self.request.user)

    def viewer(self) -> AccessSubject:
        return cast(AccessSubject, self.request.user)


class _PairAPIView(_LinkageAPIView):
    permission_classes = [IsAuthenticated, _permission(selectors.REVIEW_PERMISSION)]
    object_type = PAIR_TYPE
    serializer_class = ReviewPairSerializer

    def pair_response(self, pair: ReviewPair) -> Response:
        data = ReviewPairSerializer(pair, context={"user": self.viewer()}).data
        return with_etag(Response(data), pair)


class ReviewPairListView(_PairAPIView):
    pagination_class = ReviewQueuePagination

    @extend_schema(
        operation_id="linkage_review_pairs_list",
        summary="Pairs of persons to review",
        description="Pairs whose two persons you may see, most probable first.",
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=PairStatus.values, description="Default: open."
            ),
            OpenApiParameter(
                "band", OpenApiTypes.STR, enum=list(selectors.BANDS), description="Probability band."
            ),
        ],
        responses={200: ReviewPairSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        state = params.get("status", PairStatus.OPEN)
        pairs = selectors.review_pair_list_for(
            user=self.viewer(),
            status=state if state in PairStatus.values else None,
            band=params.get("band") or None,
        )
        page = self.paginate_queryset(pairs)
        assert page is not None
        data = ReviewPairSerializer(page, many=True, context={"user": self.viewer()}).data
        response = self.get_paginated_response(data)
        audit.record(action=AuditAction.LIST, actor=request.user, object_type=ReviewPair._meta.label_lower)
        return response


class ReviewPairDetailView(_PairAPIView):
    @extend_schema(
        operation_id="linkage_review_pairs_retrieve",
        summary="Read a pair with its evidence",
        description="Audited as a view of the pair and of both persons.",
        parameters=[ETAG_HEADER],
        responses={200: ReviewPairSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: Request, pair_id: uuid.UUID) -> Response:
        pair = selectors.review_pair_get_for(user=self.viewer(), pair_id=pair_id)
        response = self.pair_response(pair)
        for obj in (pair, pair.person_low, pair.person_high):
            audit.record(action=AuditAction.VIEW, actor=self.user(), obj=obj)
        return response


class ReviewPairDecisionView(_PairAPIView):
    @extend_schema(
        operation_id="linkage_review_pairs_decide",
        summary="Decide a pair: the same person, or different people",
        description="Name the version: If-Match or `version`. A reason is required.",
        request=PairDecisionSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: ReviewPairSerializer, **ERRORS},
    )
    def post(self, request: Request, pair_id: uuid.UUID) -> Response:
        pair = selectors.review_pair_get_for(user=self.viewer(), pair_id=pair_id)
        version = expected_version(request, pair)  # a stale If-Match answers 412 here already
        if version is None:
            raise VersionRequired()
        payload = PairDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        pair = services.pair_decide(
            actor=self.user(),
            pair=pair,
            decision=payload.validated_data["decision"],
            reason=payload.validated_data["reason"],
            expected_version=version,
        )
        return self.pair_response(pair)


class RunListView(_LinkageAPIView):
    permission_classes = [IsAuthenticated, _permission(selectors.RUN_PERMISSION)]
    object_type = RUN_TYPE
    serializer_class = RunSerializer
    pagination_class = NewestFirstCursorPagination

    @extend_schema(
        operation_id="linkage_runs_list",
        summary="Linkage runs, newest first",
        responses={200: RunSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.run_list())
        assert page is not None
        return self.get_paginated_response(RunSerializer(page, many=True).data)

    @extend_schema(
        operation_id="linkage_runs_create",
        summary="Start a linkage run",
        description="Queued as a background task; poll the run list for its progress.",
        request=None,
        responses={202: RunSerializer, 403: ERRORS[403], 409: ERRORS[409]},
    )
    def post(self, request: Request) -> Response:
        run = services.run_start(actor=self.user())
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
