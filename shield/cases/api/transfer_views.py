"""A case leaving its agency or its worker's hands: transfers to another agency (request, then
accept or decline by the receiving agency) and closure (request, then a supervisor approves or
returns it)."""

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shield.cases import selectors, services
from shield.cases.api import schema
from shield.cases.api.base import CaseAPIView
from shield.cases.api.serializers import CaseStateSerializer
from shield.cases.api.transfer_serializers import (
    AnswerSerializer,
    ClosureDecidedSerializer,
    ClosureRequestSerializer,
    ClosureSerializer,
    TransferAnsweredSerializer,
    TransferRequestSerializer,
    TransferSerializer,
)
from shield.cases.models import Case, CaseTransfer, ClosureRequest
from shield.core.api.versioning import with_etag
from shield.core.errors import NotFound

# --- Transfers -----------------------------------------------------------------------------------


class _TransferView(CaseAPIView):
    def transfer(self, case: Case, transfer_id: uuid.UUID) -> CaseTransfer:
        found = selectors.transfers_for(user=self.user(), case=case).filter(pk=transfer_id).first()
        if found is None:
            raise NotFound()
        return found

    def answer(self, request: Request) -> str:
        payload = AnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note: str = payload.validated_data["note"]
        return note


class CaseTransfersView(_TransferView):
    serializer_class = TransferSerializer

    @extend_schema(
        operation_id="cases_transfers_list",
        summary="A case's transfers",
        description=(
            "Requested, accepted, declined and cancelled, newest first. Audited as a view of the case."
        ),
        responses={200: TransferSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.read_case()
        return Response(
            TransferSerializer(selectors.transfers_for(user=self.user(), case=case), many=True).data
        )

    @extend_schema(
        operation_id="cases_transfers_create",
        summary="Ask another agency to take over the case",
        description=(
            "Needs the person's active consent to share with that agency, or a legal basis and "
            "`override` by a supervisor whose scope reaches the case. One transfer may wait at a time."
        ),
        request=TransferRequestSerializer,
        responses={201: TransferSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        payload = TransferRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        transfer = services.transfer_request(actor=self.user(), case=case, **payload.validated_data)
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


class TransferAcceptView(_TransferView):
    serializer_class = TransferAnsweredSerializer

    @extend_schema(
        operation_id="cases_transfers_accept",
        summary="Take over the case",
        description=(
            "By a case worker of the receiving agency: it becomes the owner, the case is unassigned "
            "and the former owner keeps read access for follow-up. The ETag is the case's version."
        ),
        request=AnswerSerializer,
        parameters=[schema.ETAG],
        responses={200: TransferAnsweredSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID, transfer_id: uuid.UUID) -> Response:
        case = self.case()
        transfer = self.transfer(case, transfer_id)
        case = services.transfer_accept(actor=self.user(), transfer=transfer, note=self.answer(request))
        answered = self.transfer(case, transfer_id)
        data = {"transfer": TransferSerializer(answered).data, "case": CaseStateSerializer(case).data}
        return with_etag(Response(data), case)


class TransferDeclineView(_TransferView):
    serializer_class = TransferAnsweredSerializer

    @extend_schema(
        operation_id="cases_transfers_decline",
        summary="Decline the transfer",
        description="By a case worker of the receiving agency; the case stays where it is.",
        request=AnswerSerializer,
        responses={200: TransferAnsweredSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID, transfer_id: uuid.UUID) -> Response:
        case = self.case()
        transfer = self.transfer(case, transfer_id)
        declined = services.transfer_decline(actor=self.user(), transfer=transfer, note=self.answer(request))
        # The receiving agency no longer reaches the case: answer from what was read before.
        data = {"transfer": TransferSerializer(declined).data, "case": CaseStateSerializer(case).data}
        return Response(data)


class TransferCancelView(_TransferView):
    serializer_class = TransferSerializer

    @extend_schema(
        operation_id="cases_transfers_cancel",
        summary="Withdraw the transfer request",
        description="By the owning agency, before the receiving agency answers.",
        request=AnswerSerializer,
        responses={200: TransferSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID, transfer_id: uuid.UUID) -> Response:
        case = self.case()
        transfer = self.transfer(case, transfer_id)
        cancelled = services.transfer_cancel(actor=self.user(), transfer=transfer, note=self.answer(request))
        return Response(TransferSerializer(cancelled).data)


# --- Closure -------------------------------------------------------------------------------------


class _ClosureView(CaseAPIView):
    def closure(self, case: Case, closure_id: uuid.UUID) -> ClosureRequest:
        found = selectors.closure_requests_for(user=self.user(), case=case).filter(pk=closure_id).first()
        if found is None:
            raise NotFound()
        return found

    def decided(self, case: Case, closure_id: uuid.UUID) -> Response:
        data = {
            "closure": ClosureSerializer(self.closure(case, closure_id)).data,
            "case": CaseStateSerializer(case).data,
        }
        return with_etag(Response(data), case)


class CaseClosureView(_ClosureView):
    serializer_class = ClosureSerializer

    @extend_schema(
        operation_id="cases_closure_list",
        summary="A case's closure requests",
        description="Newest first. Audited as a view of the case.",
        responses={200: ClosureSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.read_case()
        requests = selectors.closure_requests_for(user=self.user(), case=case)
        return Response(ClosureSerializer(requests, many=True).data)

    @extend_schema(
        operation_id="cases_closure_create",
        summary="Ask a supervisor to close the case",
        description="Saying why; one request may wait at a time.",
        request=ClosureRequestSerializer,
        responses={201: ClosureSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        payload = ClosureRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        closure = services.closure_request(
            actor=self.user(), case=case, reason=payload.validated_data["reason"]
        )
        return Response(ClosureSerializer(closure).data, status=status.HTTP_201_CREATED)


class ClosureApproveView(_ClosureView):
    serializer_class = ClosureDecidedSerializer
    write_permission = selectors.SUPERVISE

    @extend_schema(
        operation_id="cases_closure_approve",
        summary="Approve closing the case",
        description=(
            "By a supervisor whose scope reaches the case, not the one who asked: the case closes "
            "through the stage machine, with the request's reason. The ETag is the case's version."
        ),
        request=AnswerSerializer,
        parameters=[schema.ETAG],
        responses={200: ClosureDecidedSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID, closure_id: uuid.UUID) -> Response:
        case = self.case()
        closure = self.closure(case, closure_id)
        payload = AnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        closed = services.closure_approve(
            actor=self.user(), request=closure, note=payload.validated_data["note"]
        )
        return self.decided(closed, closure_id)


class ClosureReturnView(_ClosureView):
    serializer_class = ClosureDecidedSerializer
    write_permission = selectors.SUPERVISE

    @extend_schema(
        operation_id="cases_closure_return",
        summary="Return the closure request",
        description="By a supervisor (not the one who asked), saying what is missing; the case stays open.",
        request=AnswerSerializer,
        parameters=[schema.ETAG],
        responses={200: ClosureDecidedSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID, closure_id: uuid.UUID) -> Response:
        case = self.case()
        closure = self.closure(case, closure_id)
        payload = AnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.closure_return(actor=self.user(), request=closure, note=payload.validated_data["note"])
        return self.decided(case, closure_id)
