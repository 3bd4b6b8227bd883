"""What the case API reads and writes about a case's records: notes, consents, identification
decisions and assessments. Free text that is encrypted at rest (note bodies, the basis of a
decision, assessment summaries and notes) is shown decrypted to the users who read narratives
(`shield.cases.selectors.reads_narratives`); for others those fields are null. Views pass
`context={"narratives": ...}`; without it (the answers to writes, which only narrative readers
make) they are shown.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shield.accounts.roles import AgencyKind
from shield.cases.api.serializers import (
    CaseStateSerializer,
    NamedChoiceField,
    UserRefSerializer,
    agency_field,
    agency_ref,
    day,
    dt,
    user_ref,
)
from shield.cases.models import (
    Assessment,
    CaseNote,
    Consent,
    ConsentGivenBy,
    ConsentScope,
    IdentificationDecision,
    IdentificationStatus,
    NeedDomain,
    NeedLevel,
    NoteKind,
)
from shield.people.api.serializers import AgencyRefSerializer


def _narrative(serializer: serializers.Serializer, text: str) -> str | None:
    return text if serializer.context.get("narratives", True) else None


# --- Notes ---------------------------------------------------------------------------------------


class NoteSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = NamedChoiceField(NoteKind, read_only=True)
    body = serializers.CharField(read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    author = UserRefSerializer(read_only=True)
    corrects = serializers.UUIDField(
        read_only=True, allow_null=True, help_text=_("The note this one corrects, if any.")
    )
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: CaseNote) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "kind": instance.kind,
            "body": instance.body,
            "occurred_at": dt(instance.occurred_at),
            "author": user_ref(instance.author),
            "corrects": instance.corrects_id,
            "created_at": dt(instance.created_at),
        }


class NoteAddSerializer(serializers.Serializer):
    kind = NamedChoiceField(NoteKind)
    body = serializers.CharField(max_length=20000, allow_blank=True, trim_whitespace=False)
    occurred_at = serializers.DateTimeField(
        required=False, help_text=_("When the contact or visit took place (by default now).")
    )
    corrects = serializers.UUIDField(
        required=False, allow_null=True, help_text=_("To correct a note, the id of the note corrected.")
    )


# --- Consent -------------------------------------------------------------------------------------


class ConsentSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    scope = serializers.ChoiceField(choices=ConsentScope.choices, read_only=True)
    shared_with_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    given_by = serializers.ChoiceField(choices=ConsentGivenBy.choices, read_only=True)
    guardian_name = serializers.CharField(read_only=True)
    given_on = serializers.DateField(read_only=True)
    recorded_by = UserRefSerializer(read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)
    withdrawal_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Consent) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "scope": instance.scope,
            "shared_with_agency": agency_ref(instance.shared_with_agency),
            "given_by": instance.given_by,
            "guardian_name": instance.guardian_name,
            "given_on": day(instance.given_on),
            "recorded_by": user_ref(instance.recorded_by),
            "is_active": instance.is_active,
            "withdrawn_on": day(instance.withdrawn_on),
            "withdrawal_reason": instance.withdrawal_reason,
            "created_at": dt(instance.created_at),
        }


class ConsentRecordSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    given_by = serializers.ChoiceField(choices=ConsentGivenBy.choices)
    given_on = serializers.DateField()
    guardian_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    shared_with_agency = agency_field(
        required=False, allow_null=True, help_text=_("For consent to share: the agency named.")
    )


class ConsentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    withdrawn_on = serializers.DateField(required=False, help_text=_("By default today."))


# --- Identification ------------------------------------------------------------------------------


class DecisionSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    status = NamedChoiceField(IdentificationStatus, read_only=True)
    body_name = serializers.CharField(read_only=True)
    body_type = serializers.ChoiceField(choices=AgencyKind.choices, read_only=True)
    decided_on = serializers.DateField(read_only=True)
    basis = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Null for roles that do not read case narratives.")
    )
    documents = serializers.ListField(child=serializers.CharField(), read_only=True)
    recorded_by = UserRefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: IdentificationDecision) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "status": instance.status,
            "body_name": instance.body_name,
            "body_type": instance.body_type,
            "decided_on": day(instance.decided_on),
            "basis": _narrative(self, instance.basis),
            "documents": list(instance.documents or []),
            "recorded_by": user_ref(instance.recorded_by),
            "created_at": dt(instance.created_at),
        }


class DecisionRecordedSerializer(DecisionSerializer):
    case = CaseStateSerializer(read_only=True, help_text=_("Where the case stands after the decision."))

    def to_representation(self, instance: IdentificationDecision) -> dict[str, Any]:
        return {**super().to_representation(instance), "case": CaseStateSerializer(instance.case).data}


class DecideSerializer(serializers.Serializer):
    status = NamedChoiceField(IdentificationStatus)
    body_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body_type = serializers.ChoiceField(choices=AgencyKind.choices)
    decided_on = serializers.DateField()
    basis = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    documents = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True),
        required=False,
        default=list,
        max_length=50,
    )


# --- Assessment ----------------------------------------------------------------------------------


class NeedSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=NeedDomain.choices)
    level = serializers.ChoiceField(choices=NeedLevel.choices)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class AssessmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    assessed_on = serializers.DateField(read_only=True)
    summary = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Null for roles that do not read case narratives.")
    )
    assessed_by = UserRefSerializer(read_only=True)
    needs = NeedSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Assessment) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "assessed_on": day(instance.assessed_on),
            "summary": _narrative(self, instance.summary),
            "assessed_by": user_ref(instance.assessed_by),
            "needs": [
                {"domain": need.domain, "level": need.level, "notes": _narrative(self, need.notes)}
                for need in instance.needs.all()
            ],
            "created_at": dt(instance.created_at),
        }


class AssessmentRecordSerializer(serializers.Serializer):
    assessed_on = serializers.DateField(required=False, help_text=_("By default today."))
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    needs = NeedSerializer(many=True, help_text=_("One entry per domain assessed."))

    def validate_needs(self, needs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        domains = [need["domain"] for need in needs]
        if len(domains) != len(set(domains)):
            raise serializers.ValidationError(_("Assess each domain once."))
        return needs
