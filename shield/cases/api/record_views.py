"""A case's records: notes, consents, identification decisions and assessments.

Each list is a read of the case's details and is audited as a view of the case; each write goes
through its service, which checks that the user may change the case and audits the change (field
names only: a note's text never reaches the audit log).
"""

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shield.cases import selectors, services
from shield.cases.api import schema
from shield.cases.api.base import CaseAPIView
from shield.cases.api.record_serializers import (
    AssessmentRecordSerializer,
    AssessmentSerializer,
    ConsentRecordSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
    DecideSerializer,
    DecisionRecordedSerializer,
    DecisionSerializer,
    NoteAddSerializer,
    NoteSerializer,
)
from shield.cases.services import NeedInput
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.errors import NotFound, ValidationFailed


class NoteCursorPagination(CheckedCursorPagination):
    """The timeline's order: latest contact first."""

    ordering = ("-occurred_at", "-created_at")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class CaseNotesView(CaseAPIView):
    serializer_class = NoteSerializer
    pagination_class = NoteCursorPagination

    @extend_schema(
        operation_id="cases_notes_list",
        summary="A case's notes",
        description=(
            "Latest contact first, one page at a time. Notes are encrypted at rest and shown here "
            "decrypted, to roles that work on cases (`cases.edit`); others who may see the case "
            "are refused (403). Audited as a view of the case."
        ),
        responses={200: NoteSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.read_case()
        if not selectors.reads_narratives(self.user()):
            self.permission_denied(request, message=_("Case notes are shown to case workers only."))
        page = self.paginate_queryset(selectors.case_notes_for(user=self.user(), case=case))
        assert page is not None
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_notes_create",
        summary="Add a note",
        description=(
            "Notes are never edited: to correct one, add a new note naming it in `corrects`. "
            "The audit log records that a note was added, never its text."
        ),
        request=NoteAddSerializer,
        responses={201: NoteSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        user = self.user()
        case = self.case()
        payload = NoteAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        corrected = None
        if corrects_id := data.pop("corrects", None):
            corrected = selectors.case_notes_for(user=user, case=case).filter(pk=corrects_id).first()
            if corrected is None:
                raise ValidationFailed(field_errors={"corrects": [_("This case has no such note.")]})
        note = services.note_add(actor=user, case=case, corrects=corrected, **data)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CaseConsentsView(CaseAPIView):
    serializer_class = ConsentSerializer

    @extend_schema(
        operation_id="cases_consents_list",
        summary="A case's consents",
        description="Active and withdrawn, newest first. Audited as a view of the case.",
        responses={200: ConsentSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.read_case()
        consents = selectors.consents_for(user=self.user(), case=case)
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(
        operation_id="cases_consents_create",
        summary="Record a consent",
        description=(
            "What the person, or a named guardian for a child, agreed to. Consent to share names "
            "the agency; one active consent per scope (and agency)."
        ),
        request=ConsentRecordSerializer,
        responses={201: ConsentSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        payload = ConsentRecordSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        consent = services.consent_record(actor=self.user(), case=case, **payload.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(CaseAPIView):
    serializer_class = ConsentSerializer

    @extend_schema(
        operation_id="cases_consents_withdraw",
        summary="Record that a consent was withdrawn",
        description=(
            "What rested on it stops: a pending transfer relying on it is cancelled, access shared "
            "on it is revoked. Allowed on a closed case too."
        ),
        request=ConsentWithdrawSerializer,
        responses={200: ConsentSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID, consent_id: uuid.UUID) -> Response:
        case = self.case()
        consent = selectors.consents_for(user=self.user(), case=case).filter(pk=consent_id).first()
        if consent is None:
            raise NotFound()
        payload = ConsentWithdrawSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        withdrawn = services.consent_withdraw(actor=self.user(), consent=consent, **payload.validated_data)
        return Response(ConsentSerializer(withdrawn).data)


class CaseIdentificationView(CaseAPIView):
    serializer_class = DecisionSerializer

    @extend_schema(
        operation_id="cases_identification_list",
        summary="A case's identification decisions",
        description="The decision in force (the latest) first. Audited as a view of the case.",
        responses={200: DecisionSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.read_case()
        decisions = selectors.identification_decisions_for(user=self.user(), case=case)
        return Response(DecisionSerializer(decisions, many=True, context=self.narratives()).data)

    @extend_schema(
        operation_id="cases_identification_create",
        summary="Record an identification decision",
        description=(
            "Who decided whether the person is a trafficking victim, when and on what basis. On a "
            "case waiting for identification it moves the stage (registered → undergoing "
            "identification → identified victim or not a victim); `case` says where the case "
            "stands now."
        ),
        request=DecideSerializer,
        responses={
            201: OpenApiResponse(DecisionRecordedSerializer, description="Recorded."),
            **schema.WRITE_ERRORS,
        },
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        payload = DecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decision = services.identification_decide(actor=self.user(), case=case, **payload.validated_data)
        return Response(DecisionRecordedSerializer(decision).data, status=status.HTTP_201_CREATED)


class CaseAssessmentsView(CaseAPIView):
    serializer_class = AssessmentSerializer

    @extend_schema(
        operation_id="cases_assessments_list",
        summary="A case's assessments of needs",
        description="The latest (the one in force) first. Audited as a view of the case.",
        responses={200: AssessmentSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.read_case()
        assessments = selectors.assessments_for(user=self.user(), case=case)
        return Response(AssessmentSerializer(assessments, many=True, context=self.narratives()).data)

    @extend_schema(
        operation_id="cases_assessments_create",
        summary="Record an assessment of needs",
        description="By domain; a reassessment is a new assessment, and the latest is in force.",
        request=AssessmentRecordSerializer,
        responses={201: AssessmentSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        payload = AssessmentRecordSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        needs = {n["domain"]: NeedInput(level=n["level"], notes=n["notes"]) for n in data.pop("needs")}
        assessment = services.assessment_record(actor=self.user(), case=case, needs=needs, **data)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)
