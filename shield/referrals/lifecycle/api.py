"""The referrals API under /api/v1/referrals/: list, send, read one, and one POST per step.

The same selectors and services as the pages. Reads need any referral role (referrals.make,
referrals.supervise, referrals.deliver, or cases.edit for the receiving centres' staff); the
referral itself comes from `referral_get_for`, so one outside both sides answers 404. A step
names the version it is based on (If-Match, else `version` in the body): stale 412, none 428.
Every detail read is audited.
"""

import uuid
from typing import Any, cast

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.accounts import policy
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.cases import selectors as case_selectors
from shield.cases.api import schema
from shield.cases.api.serializers import NamedChoiceField
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import NotFound, ValidationFailed, VersionRequired
from shield.referrals.lifecycle import presenters, selectors, services
from shield.referrals.lifecycle.services import REASON_MAX
from shield.referrals.models import (
    Provider,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    ReferralUrgency,
    Service,
)

REFERRAL_TYPE = Referral._meta.label_lower
ROLES = (selectors.MAKE, selectors.SUPERVISE, selectors.DELIVER, "cases.edit")


class ReferralPermission(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return any(policy.has_permission(request.user, p) for p in ROLES)


class ReferralPagination(CheckedCursorPagination):
    ordering = ("-sent_at", "-id")


def _dt(value: Any) -> str | None:
    return value.isoformat() if value else None


def referral_summary(user: User, referral: Referral) -> dict[str, Any]:
    row = presenters.rows(user=user, referrals=[referral])[0]
    return {
        "id": str(referral.pk),
        "reference": referral.reference,
        "status": referral.status,
        "urgency": referral.urgency,
        "outcome": referral.outcome,
        "service_type": referral.service_type,
        "provider": {"id": str(referral.provider_id), "name": referral.provider.name},
        "service": {"id": str(referral.service_id), "name": referral.service.name}
        if referral.service
        else None,
        "from_agency": referral.from_agency.code,
        "to_agency": referral.to_agency.code if referral.to_agency else None,
        "person_display_name": row.name,
        "sent_at": _dt(referral.sent_at),
        "respond_by": _dt(referral.respond_by),
        "outcome_due_by": _dt(referral.outcome_due_by),
        "overdue": row.overdue,
        "version": referral.version,
    }


def referral_detail(user: User, referral: Referral) -> dict[str, Any]:
    data = presenters.minimum_dataset(user=user, referral=referral)
    body = referral_summary(user, referral)
    body.update(
        reason=referral.reason,
        person={
            "display_name": data.name,
            "age": data.age,
            "sex": referral.person.sex,
            "languages": list(data.languages),
            "needs": [{"domain": d, "level": lvl} for d, lvl in data.needs],
        },
        contact={"name": data.contact_name, "email": data.contact_email, "agency": data.contact_agency},
        case_id=str(referral.case_id) if presenters.case_link_allowed(user=user, referral=referral) else None,
        steps=[
            {
                "from_status": s.from_status,
                "to_status": s.to_status,
                "at": _dt(s.created_at),
                "by": s.actor.get_username(),
                "on_behalf_of_provider": s.on_behalf_of_provider,
                "note": s.note,
            }
            for s in selectors.steps_of(referral)
        ],
        actions=presenters.actions_for(user=user, referral=referral),
    )
    return body


class ReferralOut(serializers.Serializer[Referral]):
    """The referral as the API answers it (documentation of the shape; built by `referral_detail`)."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    status = NamedChoiceField(ReferralStatus)
    urgency = NamedChoiceField(ReferralUrgency)
    outcome = serializers.CharField()
    version = serializers.IntegerField()


class SendIn(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    service = serializers.UUIDField(required=False, allow_null=True)
    provider = serializers.UUIDField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=REASON_MAX)
    urgency = NamedChoiceField(ReferralUrgency)
    legal_basis = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    override = serializers.BooleanField(required=False, default=False)


class StepIn(serializers.Serializer[Any]):
    version = serializers.IntegerField(required=False, min_value=1)
    note = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")
    outcome = NamedChoiceField(ReferralOutcome, required=False)


class _Base(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, ReferralPermission]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    object_type = REFERRAL_TYPE
    serializer_class = ReferralOut

    def user(self) -> User:
        return cast(User, self.request.user)

    def referral(self) -> Referral:
        return selectors.referral_get_for(user=self.user(), referral_id=self.kwargs["referral_id"])


class ReferralListView(_Base):
    pagination_class = ReferralPagination

    @extend_schema(
        operation_id="referrals_list",
        summary="Referrals to us (box=inbox) or our referrals (box=outbox, the default)",
        parameters=[
            OpenApiParameter("box", str, enum=["inbox", "outbox"]),
            OpenApiParameter("status", str),
            OpenApiParameter("urgency", str),
            OpenApiParameter("service_type", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("q", str),
        ],
        responses={200: ReferralOut(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        filters = selectors.ReferralFilters(
            statuses=(params["status"][:20],) if params.get("status") else (),
            urgency=params.get("urgency", "")[:20],
            service_type=params.get("service_type", "")[:40],
            overdue=params.get("overdue") in ("1", "true", "on"),
            q=params.get("q", "")[:80],
            now=timezone.now(),
        )
        query = (
            selectors.referral_inbox_for if params.get("box") == "inbox" else selectors.referral_outbox_for
        )
        page = self.paginate_queryset(query(user=self.user(), filters=filters))
        rows = [referral_summary(self.user(), r) for r in page or []]
        audit.record(
            action=AuditAction.LIST,
            actor=self.user(),
            object_type=REFERRAL_TYPE,
            details={"list": params.get("box") or "outbox", "count": len(rows)},
        )
        return self.get_paginated_response(rows)

    @extend_schema(
        operation_id="referrals_send",
        summary="Refer a case's person to a service (or a provider)",
        description=(
            "Needs referrals.make and a case the caller may change, and the person's consent to share "
            "with the provider's agency (an external provider: consent to receive services), or "
            "`legal_basis` with `override` by a supervisor."
        ),
        request=SendIn,
        responses={201: ReferralOut, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        payload = SendIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        case = case_selectors.case_get_for(user=self.user(), case_id=data["case"])
        service = None
        if data.get("service"):
            service = Service.objects.filter(pk=data["service"]).select_related("provider").first()
            if service is None:
                raise ValidationFailed(field_errors={"service": ["No such service."]})
            provider = service.provider
        elif data.get("provider"):
            found = Provider.objects.filter(pk=data["provider"]).first()
            if found is None:
                raise ValidationFailed(field_errors={"provider": ["No such provider."]})
            provider = found
        else:
            raise ValidationFailed(field_errors={"service": ["Name a service or a provider."]})
        referral = services.referral_send(
            actor=self.user(),
            case=case,
            provider=provider,
            service=service,
            reason=data["reason"],
            urgency=data["urgency"],
            legal_basis=data["legal_basis"],
            override=data["override"],
        )
        fresh = selectors.referral_get_for(user=self.user(), referral_id=referral.pk)
        return with_etag(Response(referral_detail(self.user(), fresh), status=status.HTTP_201_CREATED), fresh)


class ReferralDetailView(_Base):
    @extend_schema(
        operation_id="referrals_read",
        summary="One referral: the minimum dataset, its timeline, the steps you may take",
        responses={200: ReferralOut, **schema.READ_ERRORS},
    )
    def get(self, request: Request, referral_id: uuid.UUID) -> Response:
        referral = self.referral()
        audit.record(action=AuditAction.VIEW, actor=self.user(), obj=referral)
        return with_etag(Response(referral_detail(self.user(), referral)), referral)


STEPS = {
    "accept": lambda u, r, v, d: services.referral_accept(actor=u, referral=r, version=v, note=d["note"]),
    "decline": lambda u, r, v, d: services.referral_decline(actor=u, referral=r, version=v, reason=d["note"]),
    "waitlist": lambda u, r, v, d: services.referral_waitlist(actor=u, referral=r, version=v, note=d["note"]),
    "start-service": lambda u, r, v, d: services.referral_start_service(
        actor=u, referral=r, version=v, note=d["note"]
    ),
    "complete": lambda u, r, v, d: services.referral_complete(
        actor=u, referral=r, version=v, outcome=d.get("outcome", ""), note=d["note"]
    ),
    "cancel": lambda u, r, v, d: services.referral_cancel(actor=u, referral=r, version=v, reason=d["note"]),
    "revoke": lambda u, r, v, d: services.referral_revoke(actor=u, referral=r, version=v, reason=d["note"]),
}


class ReferralStepView(_Base):
    step = ""

    @extend_schema(
        summary="One step of a referral: accept, decline, waitlist, start-service, complete, cancel, revoke",
        description=(
            "`note` is the reason where the step needs one (decline, cancel, revoke); `complete` "
            "needs `outcome`. Name the version: If-Match or `version` in the body."
        ),
        parameters=[schema.IF_MATCH],
        request=StepIn,
        responses={200: ReferralOut, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, referral_id: uuid.UUID) -> Response:
        referral = self.referral()
        version = expected_version(request, referral)
        if version is None:
            raise VersionRequired()
        payload = StepIn(data=request.data)
        payload.is_valid(raise_exception=True)
        STEPS[self.step](self.user(), referral, version, payload.validated_data)
        fresh = selectors.referral_get_for(user=self.user(), referral_id=referral.pk)
        return with_etag(Response(referral_detail(self.user(), fresh)), fresh)


def step_view(step: str) -> Any:
    name = step.replace("-", "_")

    class View(ReferralStepView):
        @extend_schema(operation_id=f"referrals_{name}")
        def post(self, request: Request, referral_id: uuid.UUID) -> Response:
            return super().post(request, referral_id)

    View.step = step
    View.__name__ = f"Referral_{name}_View"
    return View.as_view()


__all__ = ["NotFound", "ReferralDetailView", "ReferralListView", "step_view"]
