"""The intake API: the same selectors and services as the pages, so both behave the same.

Screenings need `intake.screen` (reads of a referred screening also `cases.view` at the receiving
agency), instruments `intake.screen` or `intake.publish_instruments`, tips `intake.triage_tips`. A
record outside the user's reach answers 404; every read of one record writes a `view` audit
event. Writes name the version they are based on (If-Match or `version`): stale 412, none 428.
"""

import uuid
from typing import cast

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.cases import selectors as case_selectors
from shield.cases.api.schema import ETAG, IF_MATCH
from shield.core.access import AccessSubject
from shield.core.api.pagination import NewestFirstCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import ValidationFailed
from shield.geo import selectors as geo
from shield.geo.models import Commune
from shield.intake import selectors, services
from shield.intake.api import serializers as s
from shield.intake.models import Screening, Tip
from shield.people import selectors as people_selectors
from shield.people.api.serializers import ErrorSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Field errors: a list of messages per field."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such record in your reach."),
    409: OpenApiResponse(ErrorSerializer, description="The record's state does not allow this now."),
}
VERSIONED = {
    **ERRORS,
    412: OpenApiResponse(ErrorSerializer, description="Someone else changed the record: nothing was saved."),
    428: OpenApiResponse(ErrorSerializer, description="Name the version: If-Match or `version` in the body."),
}


class NewestScreeningsFirst(NewestFirstCursorPagination):
    ordering = ("-started_at", "-id")


class NewestTipsFirst(NewestFirstCursorPagination):
    ordering = ("-received_at", "-id")


class IntakePermission(BasePermission):
    """Reads need one of the view's `read_permissions`, writes its `write_permission`."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return any(request.user.has_perm(p) for p in getattr(view, "read_permissions", ()))
        return bool(request.user.has_perm(getattr(view, "write_permission", "")))


class IntakeAPIView(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, IntakePermission]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    object_type = ""
    read_permissions: tuple[str, ...] = ()
    write_permission = ""

    def user(self) -> User:
        return cast(User, self.request.user)

    def viewer(self) -> AccessSubject:
        return cast(AccessSubject, self.request.user)


# --- Instruments ---------------------------------------------------------------------------------


class InstrumentView(IntakeAPIView):
    object_type = "intake.screeninginstrument"
    read_permissions = (selectors.SCREEN, selectors.PUBLISH)
    serializer_class = s.InstrumentSerializer


class InstrumentListView(InstrumentView):
    pagination_class = NewestFirstCursorPagination

    @extend_schema(
        responses={200: s.InstrumentSerializer(many=True), **ERRORS}, summary="Instrument versions"
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.instrument_list())
        return self.get_paginated_response(s.InstrumentSerializer(page, many=True).data)


class InstrumentDetailView(InstrumentView):
    @extend_schema(responses={200: s.InstrumentSerializer, **ERRORS}, summary="One instrument version")
    def get(self, request: Request, instrument_id: uuid.UUID) -> Response:
        instrument = selectors.instrument_get(instrument_id=instrument_id)
        return Response(s.InstrumentSerializer(instrument).data)


# --- Screenings ----------------------------------------------------------------------------------


class ScreeningView(IntakeAPIView):
    object_type = Screening._meta.label_lower
    read_permissions = (selectors.SCREEN, selectors.CASES_VIEW)
    write_permission = selectors.SCREEN
    serializer_class = s.ScreeningSerializer

    def screening(self, screening_id: uuid.UUID) -> Screening:
        return selectors.screening_get_for(user=self.user(), screening_id=screening_id)

    def answer(self, screening: Screening, *, status_code: int = status.HTTP_200_OK) -> Response:
        return with_etag(Response(s.ScreeningSerializer(screening).data, status=status_code), screening)


class ScreeningListView(ScreeningView):
    pagination_class = NewestScreeningsFirst

    @extend_schema(
        parameters=[
            OpenApiParameter("border_gate", str, description="A border gate's code."),
            OpenApiParameter("outcome", str),
            OpenApiParameter("status", str),
        ],
        responses={200: s.ScreeningSerializer(many=True), **ERRORS},
        summary="Screenings in your reach, newest first",
    )
    def get(self, request: Request) -> Response:
        code = request.query_params.get("border_gate", "")
        gate = geo.border_gate_list().filter(code=code).first() if code else None
        if code and gate is None:
            raise ValidationFailed(field_errors={"border_gate": ["Unknown border gate."]})
        filters = selectors.ScreeningFilters(
            border_gate=gate,
            outcome=request.query_params.get("outcome", ""),
            status=request.query_params.get("status", ""),
        )
        screenings = selectors.screening_list_for(user=self.user(), filters=filters).select_related(
            "instrument"
        )
        audit.record(action=AuditAction.LIST, actor=self.user(), object_type=self.object_type)
        page = self.paginate_queryset(screenings)
        return self.get_paginated_response(s.ScreeningSerializer(page, many=True).data)

    @extend_schema(
        request=None, responses={201: s.ScreeningSerializer, **ERRORS}, summary="Start a screening (a draft)"
    )
    def post(self, request: Request) -> Response:
        screening = services.screening_start(actor=self.user())
        response = self.answer(screening, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-screening-detail", args=[screening.pk])
        return response


class ScreeningDetailView(ScreeningView):
    @extend_schema(
        responses={200: s.ScreeningSerializer, **ERRORS}, parameters=[ETAG], summary="One screening"
    )
    def get(self, request: Request, screening_id: uuid.UUID) -> Response:
        screening = self.screening(screening_id)
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=screening.agency, obj=screening)
        return self.answer(screening)

    @extend_schema(
        request=s.ScreeningWriteSerializer,
        responses={200: s.ScreeningSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Save a draft (the fields sent)",
    )
    def patch(self, request: Request, screening_id: uuid.UUID) -> Response:
        screening = self.screening(screening_id)
        version = expected_version(request, screening)
        data = s.ScreeningWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "version"}
        saved = services.screening_save_draft(
            actor=self.user(), screening=screening, expected_version=version, data=values
        )
        return self.answer(saved)


class ScreeningCompleteView(ScreeningView):
    @extend_schema(
        request=s.ScreeningCompleteSerializer,
        responses={200: s.ScreeningSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Complete a screening; a referral outcome opens a case at the receiving agency",
    )
    def post(self, request: Request, screening_id: uuid.UUID) -> Response:
        screening = self.screening(screening_id)
        version = expected_version(request, screening)
        data = s.ScreeningCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person_id = data.validated_data.get("person")
        person = (
            people_selectors.person_get_for(user=self.viewer(), person_id=person_id) if person_id else None
        )
        done = services.screening_complete(
            actor=self.user(),
            screening=screening,
            expected_version=version,
            outcome=data.validated_data["outcome"],
            receiving_agency=data.validated_data.get("receiving_agency"),
            person=person,
        )
        return self.answer(done)


# --- Tips ----------------------------------------------------------------------------------------


class TipView(IntakeAPIView):
    object_type = Tip._meta.label_lower
    read_permissions = (selectors.TRIAGE,)
    write_permission = selectors.TRIAGE
    serializer_class = s.TipSerializer

    def tip(self, tip_id: uuid.UUID) -> Tip:
        return selectors.tip_get_for(user=self.user(), tip_id=tip_id)

    def answer(self, tip: Tip, *, status_code: int = status.HTTP_200_OK) -> Response:
        data = s.TipSerializer(tip, context={"detail": True}).data
        return with_etag(Response(data, status=status_code), tip)


class TipListView(TipView):
    pagination_class = NewestTipsFirst

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("urgency", str),
            OpenApiParameter("overdue", bool, description="Only tips waiting past their triage deadline."),
        ],
        responses={200: s.TipSerializer(many=True), **ERRORS},
        summary="Tips in your reach (encrypted texts only in one tip's read)",
    )
    def get(self, request: Request) -> Response:
        filters = selectors.TipFilters(
            status=request.query_params.get("status", ""),
            urgency=request.query_params.get("urgency", ""),
            overdue=request.query_params.get("overdue", "") in ("1", "true", "on"),
        )
        audit.record(action=AuditAction.LIST, actor=self.user(), object_type=self.object_type)
        page = self.paginate_queryset(selectors.tip_list_for(user=self.user(), filters=filters))
        return self.get_paginated_response(s.TipSerializer(page, many=True).data)

    @extend_schema(
        request=s.TipWriteSerializer, responses={201: s.TipSerializer, **ERRORS}, summary="Record a tip"
    )
    def post(self, request: Request) -> Response:
        data = s.TipWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        province_code, commune_code = values.pop("province"), values.pop("commune")
        province = geo.province_list().filter(code=province_code).first() if province_code else None
        if province_code and province is None:
            raise ValidationFailed(field_errors={"province": ["Unknown province code."]})
        commune = Commune.objects.filter(code=commune_code).first() if commune_code else None
        if commune_code and commune is None:
            raise ValidationFailed(field_errors={"commune": ["Unknown commune code."]})
        tip = services.tip_record(actor=self.user(), province=province, commune=commune, **values)
        response = self.answer(tip, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-tip-detail", args=[tip.pk])
        return response


class TipDetailView(TipView):
    @extend_schema(responses={200: s.TipSerializer, **ERRORS}, parameters=[ETAG], summary="One tip")
    def get(self, request: Request, tip_id: uuid.UUID) -> Response:
        tip = self.tip(tip_id)
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=tip.agency, obj=tip)
        return self.answer(tip)


class TipTriageView(TipView):
    @extend_schema(
        request=s.TipTriageSerializer,
        responses={200: s.TipSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Triage a tip: assign, link, open a case or close",
    )
    def post(self, request: Request, tip_id: uuid.UUID) -> Response:
        tip = self.tip(tip_id)
        version = expected_version(request, tip)
        data = s.TipTriageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user = self.user()
        person = (
            people_selectors.person_get_for(user=self.viewer(), person_id=d["person"])
            if d.get("person")
            else None
        )
        action = d["action"]
        if action in ("assign", "open_case") and d.get("agency") is None:
            raise ValidationFailed(field_errors={"agency": ["Choose the agency."]})
        if action == "assign":
            tip = services.tip_assign(actor=user, tip=tip, expected_version=version, agency=d["agency"])
        elif action == "link":
            case = case_selectors.case_get_for(user=user, case_id=d["case"]) if d.get("case") else None
            tip = services.tip_link(actor=user, tip=tip, expected_version=version, person=person, case=case)
        elif action == "open_case":
            tip = services.tip_open_case(
                actor=user,
                tip=tip,
                expected_version=version,
                receiving_agency=d["agency"],
                person=person,
                full_name=d["full_name"],
                sex=d["sex"],
            )
        else:
            tip = services.tip_close(actor=user, tip=tip, expected_version=version, reason=d["reason"])
        return self.answer(tip)
