"""What the case API reads and writes about a case leaving its agency or its worker's hands:
transfers to another agency and closure requests a supervisor decides."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shield.cases.api.serializers import (
    CaseStateSerializer,
    NamedChoiceField,
    UserRefSerializer,
    agency_field,
    agency_ref,
    dt,
    user_ref,
)
from shield.cases.models import CaseTransfer, ClosureRequest, ClosureStatus, TransferStatus
from shield.people.api.serializers import AgencyRefSerializer


class TransferSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    from_agency = AgencyRefSerializer(read_only=True)
    to_agency = AgencyRefSerializer(read_only=True)
    requested_by = UserRefSerializer(read_only=True)
    reason = serializers.CharField(read_only=True)
    legal_basis = serializers.CharField(read_only=True)
    consent = serializers.UUIDField(
        read_only=True, allow_null=True, help_text=_("The consent to share the transfer rests on, if any.")
    )
    override_by = UserRefSerializer(
        read_only=True, allow_null=True, help_text=_("The supervisor who overrode missing consent, if any.")
    )
    status = NamedChoiceField(TransferStatus, read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: CaseTransfer) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "from_agency": agency_ref(instance.from_agency),
            "to_agency": agency_ref(instance.to_agency),
            "requested_by": user_ref(instance.requested_by),
            "reason": instance.reason,
            "legal_basis": instance.legal_basis,
            "consent": instance.consent_id,
            "override_by": user_ref(instance.override_by),
            "status": instance.status,
            "decided_by": user_ref(instance.decided_by),
            "decided_at": dt(instance.decided_at),
            "decision_note": instance.decision_note,
            "created_at": dt(instance.created_at),
        }


class TransferRequestSerializer(serializers.Serializer):
    to_agency = agency_field()
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Needed only to override missing consent."),
    )
    override = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("A supervisor transfers without the person's consent, on the legal basis given."),
    )


class AnswerSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class TransferAnsweredSerializer(serializers.Serializer):
    transfer = TransferSerializer(read_only=True)
    case = CaseStateSerializer(read_only=True)


class ClosureSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    requested_by = UserRefSerializer(read_only=True)
    reason = serializers.CharField(read_only=True)
    status = NamedChoiceField(ClosureStatus, read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: ClosureRequest) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "requested_by": user_ref(instance.requested_by),
            "reason": instance.reason,
            "status": instance.status,
            "decided_by": user_ref(instance.decided_by),
            "decided_at": dt(instance.decided_at),
            "decision_note": instance.decision_note,
            "created_at": dt(instance.created_at),
        }


class ClosureRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ClosureDecidedSerializer(serializers.Serializer):
    closure = ClosureSerializer(read_only=True)
    case = CaseStateSerializer(read_only=True)
