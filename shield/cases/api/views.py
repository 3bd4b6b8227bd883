"""The case itself: list, open, read, edit in place, move through the stage machine, reopen.

Every read of one case writes a `view` audit event. Edits name the version they are based on
(If-Match or `version` in the body): a stale one answers 412, none 428, and nothing is written.
"""

import contextlib
import uuid

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shield import audit
from shield.accounts import policy
from shield.audit.models import AuditAction
from shield.cases import selectors, services
from shield.cases.api import schema
from shield.cases.api.base import CASE_TYPE, CaseAPIView
from shield.cases.api.serializers import (
    CaseDetailSerializer,
    CaseListQuerySerializer,
    CaseOpenSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    ReopenSerializer,
    StageChangeSerializer,
    StageMovesSerializer,
    StageOptionSerializer,
    TransitionSerializer,
)
from shield.cases.selectors import CaseFilters
from shield.core.api.pagination import NewestFirstCursorPagination
from shield.core.errors import NotFound, PermissionRefused, ValidationFailed
from shield.geo import selectors as geo
from shield.people.models import Person


class CaseCursorPagination(NewestFirstCursorPagination):
    """Newest opened first, the order of the list's index (`case_newest_first`)."""

    ordering = ("-opened_at", "-id")


class CaseListView(CaseAPIView):
    serializer_class = CaseSerializer
    pagination_class = CaseCursorPagination

    @extend_schema(
        operation_id="cases_list",
        summary="Find cases",
        description=(
            "The cases in your reach, newest opened first, one page at a time (follow `next`). A "
            "child's name is masked for roles that do not need it; searching by name finds only "
            "the people whose names you may see."
        ),
        parameters=[
            CaseListQuerySerializer,
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Cases per page (up to 200)."),
        ],
        responses={200: CaseSerializer(many=True), 400: schema.BAD_REQUEST, 403: schema.FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        query = CaseListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        province_id = None
        if code := given.get("province", "").strip():
            province = geo.province_list().filter(code=code).first()
            if province is None:
                raise ValidationFailed(field_errors={"province": [_("No province has this code.")]})
            province_id = province.pk
        filters = CaseFilters(
            stages=tuple(given.get("stage", ())),
            case_type=given.get("case_type", ""),
            owner_agency_id=given.get("agency"),
            province_id=province_id,
            assigned_to_me=given["assigned_to_me"],
            has_overdue_actions=given["overdue"],
            search=given.get("q", ""),
        )
        cases = selectors.case_list_for(user=self.user(), filters=filters)
        page = self.paginate_queryset(cases)
        assert page is not None
        overdue = selectors.overdue_case_ids(cases=page)
        data = CaseSerializer(page, many=True, context={"user": self.user(), "overdue": overdue}).data
        response = self.get_paginated_response(data)
        audit.record(
            action=AuditAction.LIST,
            actor=self.user(),
            object_type=CASE_TYPE,
            search=filters.search,
            details={
                "filters": sorted(
                    name for name in CaseListQuerySerializer().fields if name in request.query_params
                )
            },
        )
        return response

    @extend_schema(
        operation_id="cases_create",
        summary="Open a case",
        description=(
            "Open a case for a person in your reach, owned by an agency where you work on cases "
            "(by default your own). It starts at `registered`."
        ),
        request=CaseOpenSerializer,
        parameters=[schema.ETAG, schema.LOCATION],
        responses={
            201: OpenApiResponse(CaseDetailSerializer, description="Opened."),
            400: schema.BAD_REQUEST,
            403: schema.FORBIDDEN,
        },
    )
    def post(self, request: Request) -> Response:
        user = self.user()
        payload = CaseOpenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        owner = data.pop("owner_agency", None)
        if owner is None:
            memberships = policy.memberships_with(user, selectors.EDIT)
            if not memberships:
                raise PermissionRefused(_("You may not open cases for this agency."))
            owner = memberships[0].agency
        # The service finds the person in the user's reach (or through a case they can see).
        person = Person(pk=data.pop("person"))
        try:
            case = services.case_open(actor=user, person=person, owner_agency=owner, **data)
        except NotFound as exc:
            raise ValidationFailed(field_errors={"person": [exc.message]}) from exc
        with contextlib.suppress(NotFound):  # unless opened for an agency or worker outside their view
            case = selectors.case_get_for(user=user, case_id=case.pk)
        response = self.case_response(case, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(reverse("api-case-detail", args=[case.pk]))
        return response


class CaseDetailView(CaseAPIView):
    serializer_class = CaseDetailSerializer

    @extend_schema(
        operation_id="cases_retrieve",
        summary="Read a case",
        description="Audited as a view of the case. The ETag is the case's version.",
        parameters=[schema.ETAG],
        responses={200: CaseDetailSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        return self.case_response(self.read_case())

    @extend_schema(
        operation_id="cases_partial_update",
        summary="Change a case's risk level or assigned worker",
        description=(
            "Only the fields sent change, together or not at all. Name the version: If-Match or "
            "`version`. The stage changes through `transitions/`, the owner through `transfers/`."
        ),
        request=CaseUpdateSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: CaseDetailSerializer, **schema.VERSIONED_ERRORS},
    )
    def patch(self, request: Request, case_id: uuid.UUID) -> Response:
        user = self.user()
        case = self.case()
        version = self.version_of(request, case)
        payload = CaseUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        given = payload.validated_data
        changes = {k: given[k] for k in ("risk_level", "assigned_worker") if k in given}
        case = services.case_update(
            actor=user, case=case, expected_version=version, reason=given.get("reason", ""), **changes
        )
        return self.case_response(case)


class CaseTransitionsView(CaseAPIView):
    serializer_class = StageMovesSerializer

    @extend_schema(
        operation_id="cases_transitions_list",
        summary="The moves a case may make",
        description=(
            "The case's stage, the moves the stage machine offers from it with the reason each is "
            "refused now (none for users who may not change the case), and the stage changes so "
            "far. Audited as a view of the case."
        ),
        responses={200: StageMovesSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        user = self.user()
        case = self.read_case()
        options = selectors.case_stage_options_for(user=user, case=case)
        changes = selectors.stage_changes_for(user=user, case=case)
        return Response(
            {
                "stage": case.stage,
                "version": case.version,
                "options": StageOptionSerializer(options, many=True).data,
                "history": StageChangeSerializer(changes, many=True).data,
            }
        )

    @extend_schema(
        operation_id="cases_transitions_create",
        summary="Move a case to another stage",
        description=(
            "Through the stage machine: a move it refuses answers 409 with the reason. Closing goes "
            "through `closure/`, identification outcomes through `identification/`, reopening "
            "through `reopen/`. Name the version: If-Match or `version`."
        ),
        request=TransitionSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: CaseDetailSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        user = self.user()
        case = self.case()
        version = self.version_of(request, case)
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        case = services.case_transition(
            actor=user,
            case=case,
            to_stage=payload.validated_data["to_stage"],
            reason=payload.validated_data["reason"],
            expected_version=version,
        )
        return self.case_response(case)


class CaseReopenView(CaseAPIView):
    serializer_class = CaseDetailSerializer

    @extend_schema(
        operation_id="cases_reopen",
        summary="Reopen a closed case",
        description=(
            "The reason is required and kept in the timeline. Name the version: If-Match or `version`."
        ),
        request=ReopenSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: CaseDetailSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        user = self.user()
        case = self.case()
        version = self.version_of(request, case)
        payload = ReopenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        case = services.case_reopen(
            actor=user, case=case, reason=payload.validated_data["reason"], expected_version=version
        )
        return self.case_response(case)
