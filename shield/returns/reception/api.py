"""The reception API under /api/v1/returns/: returns, verification requests, receptions and their
members.

Reads need `returns.view`; writes on returns and receptions `returns.receive`, on verification
requests `returns.verify` (403 and an audited refusal otherwise). Records come from the selectors,
so one outside the user's reach answers 404. Every list and every read of one record writes an
audit event. Writes on an existing record name its version (If-Match or `version` in the body):
stale 412, none 428. Persons are named as the registry lets the caller see them (a child's name
masked for a role without `people.see_child_names`).
"""

import uuid
from typing import Any

from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from shield import audit
from shield.audit.models import AuditAction
from shield.cases.api.schema import ETAG, IF_MATCH
from shield.core.api.pagination import CheckedCursorPagination, NewestFirstCursorPagination
from shield.core.api.versioning import with_etag
from shield.core.errors import InvalidTransition, ValidationFailed
from shield.core.lookups import one_or_not_found
from shield.core.models import VersionedModel
from shield.people.selectors import person_get_for
from shield.referrals.lifecycle.selectors import referral_get_for
from shield.referrals.support.api_base import ERRORS, VERSIONED, CareAPIView
from shield.returns.models import (
    ReceptionEvent,
    ReceptionMember,
    ReceptionStatus,
    Return,
    ReturnStatus,
    VerificationRequest,
)
from shield.returns.reception import selectors, services
from shield.returns.reception import serializers as s

VIEW = selectors.VIEW
RECEIVE = services.RECEIVE
VERIFY = services.VERIFY
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="The new record's URL."
)
# A reception's page shows this many members inline; the rest are read from its `members/` list.
INLINE_MEMBERS = 100


class NewestReceivedFirst(CheckedCursorPagination):
    ordering = ("-received_at", "-id")


class OldestReceivedFirst(CheckedCursorPagination):
    """The answer is due a fixed number of days after receipt: the oldest request is due first."""

    ordering = ("received_at", "id")


class InGroupOrder(CheckedCursorPagination):
    ordering = ("position", "id")


def _choice(params: Any, name: str, allowed: list[str]) -> str:
    value = str(params.get(name, ""))
    if value and value not in allowed:
        raise ValidationFailed(field_errors={name: [_("Choose a value from the list.")]})
    return value


class ReceptionAPIView(CareAPIView):
    """Returns, verification requests and receptions at border gates. Reads need `returns.view`;
    writes on returns and receptions `returns.receive`, on verification requests `returns.verify`.
    A record outside your reach answers 404. Writes on a record name its version (If-Match or
    `version`): 412 when stale, 428 when missing."""

    read_permissions: tuple[str, ...] = (VIEW,)
    write_permissions: tuple[str, ...] = (RECEIVE,)

    def context(self) -> dict[str, Any]:
        return {"user": self.user()}

    def answer(self, serializer: type[Any], instance: VersionedModel, status: int = 200) -> Response:
        return with_etag(Response(serializer(instance, context=self.context()).data, status=status), instance)

    def viewed(self, instance: VersionedModel, agency: Any) -> None:
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=agency, obj=instance)

    def listed(self) -> None:
        audit.record(action=AuditAction.LIST, actor=self.user(), object_type=self.object_type)


# --- Returns -------------------------------------------------------------------------------------


class ReturnView(ReceptionAPIView):
    object_type = Return._meta.label_lower
    serializer_class = s.ReturnSerializer

    def record(self, return_id: uuid.UUID) -> Return:
        return selectors.return_get_for(user=self.user(), return_id=return_id)

    def record_to_change(self, return_id: uuid.UUID, permission: str) -> Return:
        return selectors.return_get_to_change(user=self.user(), return_id=return_id, permission=permission)


class ReturnListView(ReturnView):
    pagination_class: type[BasePagination] | None = NewestFirstCursorPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ReturnStatus.values),
            OpenApiParameter("country", str, description="ISO 3166 alpha-2 code, such as CN."),
        ],
        responses={200: s.ReturnSerializer(many=True), **ERRORS},
        summary="Returns in your reach, newest first",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        status = _choice(params, "status", ReturnStatus.values)
        rows = selectors.return_list_for(user=self.user())
        if status:
            rows = rows.filter(status=status)
        if params.get("country"):
            try:
                country = s.CountryCodeField().run_validation(params["country"])
            except serializers.ValidationError as exc:
                raise ValidationFailed(
                    field_errors={"country": [_("Choose a country from the list.")]}
                ) from exc
            rows = rows.filter(country=country)
        self.listed()
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.ReturnSerializer(page, many=True, context=self.context()).data)

    @extend_schema(
        request=s.ReturnCreateSerializer,
        responses={201: s.ReturnDetailSerializer, **ERRORS},
        parameters=[ETAG, LOCATION],
        summary="Record a return of a registry person (received when `returned_on` is given)",
    )
    def post(self, request: Request) -> Response:
        body = s.ReturnCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person = person_get_for(user=self.user(), person_id=data["person"])
        record = services.return_record(
            actor=self.user(),
            person=person,
            country=data["country"],
            how=data["how"],
            channel=data["channel"],
            expected_on=data.get("expected_on"),
            returned_on=data.get("returned_on"),
            border_gate=data.get("border_gate"),
            notes=data.get("notes", ""),
        )
        response = self.answer(s.ReturnDetailSerializer, self.record(record.pk), status=201)
        response["Location"] = reverse("api-return-detail", args=[record.pk])
        return response


class ReturnDetailView(ReturnView):
    @extend_schema(
        responses={200: s.ReturnDetailSerializer, **ERRORS}, parameters=[ETAG], summary="One return"
    )
    def get(self, request: Request, return_id: uuid.UUID) -> Response:
        record = self.record(return_id)
        self.viewed(record, record.agency)
        return self.answer(s.ReturnDetailSerializer, record)


class ReturnCancelView(ReturnView):
    @extend_schema(
        request=s.ReturnCancelSerializer,
        responses={200: s.ReturnDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Cancel a return that did not happen, with the reason (If-Match)",
    )
    def post(self, request: Request, return_id: uuid.UUID) -> Response:
        record = self.record_to_change(return_id, RECEIVE)
        version = self.version_of(request, record)
        body = s.ReturnCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.return_cancel(
            actor=self.user(), record=record, version=version, reason=body.validated_data["reason"]
        )
        return self.answer(s.ReturnDetailSerializer, self.record(return_id))


# --- Verification requests -----------------------------------------------------------------------


class VerificationView(ReceptionAPIView):
    object_type = VerificationRequest._meta.label_lower
    write_permissions = (VERIFY,)
    serializer_class = s.VerificationSerializer

    def request_of(self, request_id: uuid.UUID) -> VerificationRequest:
        rows = selectors.verification_list_for(user=self.user()).select_related("return_record__agency")
        return one_or_not_found(rows, request_id)

    def request_to_change(self, request_id: uuid.UUID) -> VerificationRequest:
        return selectors.verification_get_to_change(user=self.user(), request_id=request_id)


class VerificationListView(VerificationView):
    pagination_class: type[BasePagination] | None = NewestReceivedFirst

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "due",
                str,
                enum=["yes"],
                description="yes: only those not yet answered, oldest received first.",
            )
        ],
        responses={200: s.VerificationSerializer(many=True), **ERRORS},
        summary="Verification requests in your reach, newest received first",
    )
    def get(self, request: Request) -> Response:
        due = _choice(request.query_params, "due", ["yes"])
        if due:
            rows = selectors.verifications_due(self.user())
            self.pagination_class = OldestReceivedFirst
        else:
            rows = selectors.verification_list_for(user=self.user())
        self.listed()
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            s.VerificationSerializer(page, many=True, context=self.context()).data
        )

    @extend_schema(
        request=s.VerificationCreateSerializer,
        responses={201: s.VerificationDetailSerializer, **ERRORS},
        parameters=[ETAG, LOCATION],
        summary="Record a foreign authority's request to verify a returnee (the answer's due date is set)",
    )
    def post(self, request: Request) -> Response:
        body = s.VerificationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = selectors.return_get_to_change(
            user=self.user(), return_id=data["return_record"], permission=VERIFY
        )
        taken = InvalidTransition(_("This return already has a verification request."))
        if selectors.verification_list_for(user=self.user()).filter(return_record=record).exists():
            raise taken
        try:
            created = services.verification_receive(
                actor=self.user(),
                record=record,
                foreign_authority=data["foreign_authority"],
                received_at=data["received_at"],
                foreign_reference=data.get("foreign_reference", ""),
            )
        except IntegrityError as exc:  # another request for the same return, saved a moment before
            raise taken from exc
        response = self.answer(s.VerificationDetailSerializer, self.request_of(created.pk), status=201)
        response["Location"] = reverse("api-verification-detail", args=[created.pk])
        return response


class VerificationDetailView(VerificationView):
    @extend_schema(
        responses={200: s.VerificationDetailSerializer, **ERRORS},
        parameters=[ETAG],
        summary="One verification request, with what was checked",
    )
    def get(self, request: Request, request_id: uuid.UUID) -> Response:
        found = self.request_of(request_id)
        self.viewed(found, found.return_record.agency)
        return self.answer(s.VerificationDetailSerializer, found)


class VerificationCheckView(VerificationView):
    @extend_schema(
        request=s.VerificationCheckSerializer,
        responses={200: s.VerificationDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Check the identity against the registry: documents, CCCD, linkage (If-Match)",
    )
    def post(self, request: Request, request_id: uuid.UUID) -> Response:
        found = self.request_to_change(request_id)
        version = self.version_of(request, found)
        s.VerificationCheckSerializer(data=request.data).is_valid(raise_exception=True)
        services.verification_check(actor=self.user(), request=found, version=version)
        return self.answer(s.VerificationDetailSerializer, self.request_of(request_id))


class VerificationDecideView(VerificationView):
    @extend_schema(
        request=s.VerificationDecideSerializer,
        responses={200: s.VerificationDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Decide: confirmed Vietnamese or not, and on what basis (If-Match)",
    )
    def post(self, request: Request, request_id: uuid.UUID) -> Response:
        found = self.request_to_change(request_id)
        version = self.version_of(request, found)
        body = s.VerificationDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.verification_decide(
            actor=self.user(),
            request=found,
            version=version,
            confirmed=body.validated_data["confirmed"],
            basis=body.validated_data["basis"],
        )
        return self.answer(s.VerificationDetailSerializer, self.request_of(request_id))


class VerificationAnswerView(VerificationView):
    @extend_schema(
        request=s.VerificationAnswerSerializer,
        responses={200: s.VerificationDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Record that the answer was sent, with its reference (If-Match)",
    )
    def post(self, request: Request, request_id: uuid.UUID) -> Response:
        found = self.request_to_change(request_id)
        version = self.version_of(request, found)
        body = s.VerificationAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.verification_answer(
            actor=self.user(),
            request=found,
            version=version,
            answer_reference=body.validated_data["answer_reference"],
        )
        return self.answer(s.VerificationDetailSerializer, self.request_of(request_id))


# --- Receptions ----------------------------------------------------------------------------------


class ReceptionView(ReceptionAPIView):
    object_type = ReceptionEvent._meta.label_lower
    serializer_class = s.ReceptionSerializer

    def event(self, event_id: uuid.UUID) -> ReceptionEvent:
        return selectors.reception_get_for(user=self.user(), event_id=event_id)

    def event_to_change(self, event_id: uuid.UUID) -> ReceptionEvent:
        return selectors.reception_get_to_change(user=self.user(), event_id=event_id)

    def detail(self, event: ReceptionEvent, status: int = 200) -> Response:
        """The reception with its officers and its first INLINE_MEMBERS members (three statements)."""
        members = list(selectors.reception_members(event)[: INLINE_MEMBERS + 1])
        truncated = len(members) > INLINE_MEMBERS
        data = dict(s.ReceptionSerializer(event, context=self.context()).data)
        data["officers"] = [
            str(pk) for pk in selectors.reception_officers(event).values_list("pk", flat=True)
        ]
        data["member_count"] = selectors.reception_members(event).count() if truncated else len(members)
        data["members"] = s.MemberSerializer(members[:INLINE_MEMBERS], many=True, context=self.context()).data
        data["members_truncated"] = truncated
        return with_etag(Response(data, status=status), event)


class ReceptionListView(ReceptionView):
    pagination_class: type[BasePagination] | None = NewestReceivedFirst

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=ReceptionStatus.values)],
        responses={200: s.ReceptionSerializer(many=True), **ERRORS},
        summary="Receptions at border gates in your reach, newest first",
    )
    def get(self, request: Request) -> Response:
        status = _choice(request.query_params, "status", ReceptionStatus.values)
        rows = selectors.reception_list_for(user=self.user())
        if status:
            rows = rows.filter(status=status)
        self.listed()
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            s.ReceptionSerializer(page, many=True, context=self.context()).data
        )

    @extend_schema(
        request=s.ReceptionOpenSerializer,
        responses={201: s.ReceptionDetailSerializer, **ERRORS},
        parameters=[ETAG, LOCATION],
        summary="Open a reception at a border gate (a group handover, or one person)",
    )
    def post(self, request: Request) -> Response:
        user = self.user()
        body = s.ReceptionOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        wanted = set(data.get("officers") or [])
        officers = tuple(selectors.receivers_of(user).filter(pk__in=wanted))
        if len(officers) != len(wanted):
            raise ValidationFailed(
                field_errors={"officers": [_("Name members of your agency who receive returnees.")]}
            )
        event = services.reception_open(
            actor=user,
            border_gate=data["border_gate"],
            country=data["country"],
            channel=data["channel"],
            received_at=data["received_at"],
            foreign_authority=data.get("foreign_authority", ""),
            officers=officers,
        )
        response = self.detail(self.event(event.pk), status=201)
        response["Location"] = reverse("api-reception-detail", args=[event.pk])
        return response


class ReceptionDetailView(ReceptionView):
    @extend_schema(
        responses={200: s.ReceptionDetailSerializer, **ERRORS},
        parameters=[ETAG],
        summary=f"One reception, its officers and its first {INLINE_MEMBERS} members",
    )
    def get(self, request: Request, event_id: uuid.UUID) -> Response:
        event = self.event(event_id)
        self.viewed(event, event.agency)
        return self.detail(event)


class ReceptionCompleteView(ReceptionView):
    @extend_schema(
        request=s.ReceptionCompleteSerializer,
        responses={200: s.ReceptionDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Complete the reception once every member is handed on (If-Match)",
    )
    def post(self, request: Request, event_id: uuid.UUID) -> Response:
        event = self.event_to_change(event_id)
        version = self.version_of(request, event)
        body = s.ReceptionCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reception_complete(
            actor=self.user(),
            event=event,
            version=version,
            receipt_number=body.validated_data.get("receipt_number", ""),
            receipt_signed_at=body.validated_data.get("receipt_signed_at"),
        )
        return self.detail(self.event(event_id))


class MemberView(ReceptionAPIView):
    object_type = ReceptionMember._meta.label_lower
    serializer_class = s.MemberSerializer

    def member(self, member_id: uuid.UUID) -> ReceptionMember:
        return selectors.member_get_for(user=self.user(), member_id=member_id)

    def member_to_change(self, member_id: uuid.UUID) -> ReceptionMember:
        return selectors.member_get_to_change(user=self.user(), member_id=member_id)

    def answer_member(self, member_id: uuid.UUID, status: int = 200) -> Response:
        return self.answer(s.MemberDetailSerializer, self.member(member_id), status=status)


class ReceptionMembersView(MemberView):
    pagination_class: type[BasePagination] | None = InGroupOrder

    @extend_schema(
        responses={200: s.MemberSerializer(many=True), **ERRORS},
        summary="The members of a reception, in the order they were received",
    )
    def get(self, request: Request, event_id: uuid.UUID) -> Response:
        event = selectors.reception_get_for(user=self.user(), event_id=event_id)
        self.listed()
        page = self.paginate_queryset(selectors.reception_members(event))
        return self.get_paginated_response(s.MemberSerializer(page, many=True, context=self.context()).data)

    @extend_schema(
        request=s.MemberAddSerializer,
        responses={201: s.MemberDetailSerializer, **ERRORS},
        parameters=[ETAG],
        summary="Add a returnee: an existing person, or one registered now (name, sex, year of birth)",
    )
    def post(self, request: Request, event_id: uuid.UUID) -> Response:
        user = self.user()
        event = selectors.reception_get_to_change(user=user, event_id=event_id)
        body = s.MemberAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person = person_get_for(user=user, person_id=data["person"]) if data.get("person") else None
        added = services.member_add(
            actor=user,
            event=event,
            person=person,
            full_name="" if person else data.get("full_name", ""),
            sex=data.get("sex") or "unknown",
            birth_year=data.get("birth_year"),
        )
        return self.answer_member(added.pk, status=201)


class MemberDetailView(MemberView):
    @extend_schema(
        responses={200: s.MemberDetailSerializer, **ERRORS},
        parameters=[ETAG],
        summary="One returnee of a reception, with the draft",
    )
    def get(self, request: Request, member_id: uuid.UUID) -> Response:
        found = self.member(member_id)
        self.viewed(found, found.event.agency)
        return self.answer(s.MemberDetailSerializer, found)


class MemberDraftView(MemberView):
    def _save(self, request: Request, member_id: uuid.UUID, *, merge: bool) -> Response:
        found = self.member_to_change(member_id)
        version = self.version_of(request, found)
        body = s.MemberDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft: dict[str, Any] = body.validated_data["draft"]
        if merge:
            draft = {**(found.draft or {}), **draft}
            draft = {key: value for key, value in draft.items() if value is not None}
            if s.draft_size(draft) > s.DRAFT_LIMIT_BYTES:
                raise ValidationFailed(field_errors={"draft": [s.too_large()]})
        services.member_save_draft(actor=self.user(), member=found, version=version, draft=draft)
        return self.answer_member(member_id)

    @extend_schema(
        request=s.MemberDraftSerializer,
        responses={200: s.MemberDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Autosave: replace the member's draft (If-Match; at most 16 KB)",
    )
    def put(self, request: Request, member_id: uuid.UUID) -> Response:
        return self._save(request, member_id, merge=False)

    @extend_schema(
        request=s.MemberDraftSerializer,
        responses={200: s.MemberDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Autosave: change keys of the member's draft, null removes one (If-Match; at most 16 KB)",
    )
    def patch(self, request: Request, member_id: uuid.UUID) -> Response:
        return self._save(request, member_id, merge=True)


class MemberScreenView(MemberView):
    @extend_schema(
        request=s.MemberScreenSerializer,
        responses={200: s.MemberDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Complete the member's screening; a referral outcome opens a case (If-Match)",
    )
    def post(self, request: Request, member_id: uuid.UUID) -> Response:
        found = self.member_to_change(member_id)
        version = self.version_of(request, found)
        body = s.MemberScreenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in (body.validated_data.get("data") or {}).items() if k != "version"}
        services.member_screen(
            actor=self.user(),
            member=found,
            version=version,
            outcome=body.validated_data["outcome"],
            data=data or None,
        )
        return self.answer_member(member_id)


class MemberDisposeView(MemberView):
    @extend_schema(
        request=s.MemberDisposeSerializer,
        responses={200: s.MemberDetailSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Hand the returnee on: to family (who), to a commune, or referred (If-Match)",
    )
    def post(self, request: Request, member_id: uuid.UUID) -> Response:
        user = self.user()
        found = self.member_to_change(member_id)
        version = self.version_of(request, found)
        body = s.MemberDisposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        referral = None
        if data.get("referral"):
            referral = referral_get_for(user=user, referral_id=data["referral"])
            if referral.person_id != found.return_record.person_id:
                raise ValidationFailed(field_errors={"referral": [_("Not a referral of this returnee.")]})
        services.member_dispose(
            actor=user,
            member=found,
            version=version,
            disposition=data["disposition"],
            handed_to=data.get("handed_to", ""),
            commune=data.get("commune"),
            referral=referral,
        )
        return self.answer_member(member_id)
