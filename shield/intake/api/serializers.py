"""What the intake API reads and writes. Input serializers check types only; the services check the
rules (400 with a message per field, 409 for a record's state, 412/428 for versions)."""

from typing import Any

from rest_framework import serializers

from shield.cases.api.serializers import NamedChoiceField, agency_field, agency_ref, dt, user_ref
from shield.core.api.fields import EventDateTimeField
from shield.intake.models import (
    Direction,
    Purpose,
    ScreeningInstrument,
    ScreeningStatus,
    Tip,
    TipChannel,
    TipStatus,
    TravelDocumentKind,
    Urgency,
)
from shield.intake.risk import Outcome
from shield.people.models import Sex


class RefSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="An indicator's code, or `child_rule`.")
    weight = serializers.IntegerField(read_only=True)
    strong = serializers.BooleanField(read_only=True)
    option = serializers.CharField(read_only=True, help_text="The option chosen, for a choice.")


class InstrumentSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    title_vi = serializers.CharField(read_only=True)
    title_en = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    definition = serializers.JSONField(read_only=True, help_text="Sections, indicators, weights, thresholds.")

    def to_representation(self, instance: ScreeningInstrument) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "code": instance.code,
            "version": instance.version,
            "title_vi": instance.title_vi,
            "title_en": instance.title_en,
            "published_at": dt(instance.published_at),
            "definition": instance.definition,
        }


class ScreeningSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    instrument = serializers.UUIDField(read_only=True)
    instrument_version = serializers.IntegerField(read_only=True)
    agency = RefSerializer(read_only=True)
    border_gate = serializers.CharField(read_only=True, help_text="The gate's code.")
    officer = RefSerializer(read_only=True)
    group = serializers.UUIDField(read_only=True, allow_null=True)
    status = NamedChoiceField(ScreeningStatus, read_only=True)
    direction = NamedChoiceField(Direction, read_only=True)
    traveller_name = serializers.CharField(read_only=True)
    traveller_sex = serializers.CharField(read_only=True)
    traveller_birth_date = serializers.DateField(read_only=True, allow_null=True)
    traveller_age = serializers.IntegerField(read_only=True, allow_null=True)
    nationality = serializers.CharField(read_only=True)
    document_kind = serializers.CharField(read_only=True)
    document_number = serializers.CharField(read_only=True)
    document_country = serializers.CharField(read_only=True)
    destination_country = serializers.CharField(read_only=True)
    destination_place = serializers.CharField(read_only=True)
    purpose = serializers.CharField(read_only=True)
    recruiter = serializers.CharField(read_only=True)
    answers = serializers.JSONField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    risk_level = serializers.CharField(read_only=True)
    risk_score = serializers.IntegerField(read_only=True, allow_null=True)
    risk_reasons = ReasonSerializer(many=True, read_only=True)
    outcome = serializers.CharField(read_only=True)
    receiving_agency = RefSerializer(read_only=True, allow_null=True)
    case = serializers.UUIDField(read_only=True, allow_null=True)
    case_reference = serializers.CharField(read_only=True, allow_null=True)

    def to_representation(self, s: Any) -> dict[str, Any]:
        return {
            "id": s.pk,
            "version": s.version,
            "instrument": s.instrument_id,
            "instrument_version": s.instrument.version,
            "agency": agency_ref(s.agency),
            "border_gate": s.border_gate.code,
            "officer": user_ref(s.officer),
            "group": s.group_id,
            "status": s.status,
            "direction": s.direction,
            "traveller_name": s.traveller_name,
            "traveller_sex": s.traveller_sex,
            "traveller_birth_date": s.traveller_birth_date.isoformat() if s.traveller_birth_date else None,
            "traveller_age": s.traveller_age,
            "nationality": str(s.nationality or ""),
            "document_kind": s.document_kind,
            "document_number": s.document_number,
            "document_country": str(s.document_country or ""),
            "destination_country": str(s.destination_country or ""),
            "destination_place": s.destination_place,
            "purpose": s.purpose,
            "recruiter": s.recruiter,
            "answers": s.answers,
            "started_at": dt(s.started_at),
            "completed_at": dt(s.completed_at),
            "risk_level": s.risk_level,
            "risk_score": s.risk_score,
            "risk_reasons": s.risk_reasons,
            "outcome": s.outcome,
            "receiving_agency": agency_ref(s.receiving_agency),
            "case": s.case_id,
            "case_reference": s.case.reference if s.case_id else None,
        }


class ScreeningWriteSerializer(serializers.Serializer):
    """A draft's fields; only those sent change (PATCH)."""

    version = serializers.IntegerField(required=False, help_text="The version read (or send If-Match).")
    direction = NamedChoiceField(Direction, required=False)
    traveller_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    traveller_sex = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="female, male, other or unknown."
    )
    traveller_birth_date = serializers.DateField(required=False, allow_null=True)
    traveller_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    nationality = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="ISO 3166 alpha-2 code."
    )
    document_kind = NamedChoiceField(TravelDocumentKind, required=False, allow_blank=True)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    document_country = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="ISO 3166 alpha-2 code."
    )
    destination_country = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="ISO 3166 alpha-2 code."
    )
    destination_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    purpose = NamedChoiceField(Purpose, required=False, allow_blank=True)
    recruiter = serializers.CharField(required=False, allow_blank=True, max_length=200)
    observations = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    answers = serializers.DictField(
        required=False, help_text="Indicator code → true (observed) or an option's code (a choice)."
    )


class ScreeningCompleteSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    outcome = NamedChoiceField(Outcome)
    receiving_agency = agency_field(required=False, allow_null=True)
    person = serializers.UUIDField(required=False, allow_null=True, help_text="An existing person to link.")


class TipSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    agency = RefSerializer(read_only=True)
    channel = NamedChoiceField(TipChannel, read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    reporter_anonymous = serializers.BooleanField(read_only=True)
    reporter_name = serializers.CharField(read_only=True)
    reporter_contact = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True)
    province = serializers.CharField(read_only=True, allow_null=True, help_text="The province's code.")
    commune = serializers.CharField(read_only=True, allow_null=True, help_text="The commune's code.")
    people_mentioned = serializers.CharField(read_only=True)
    urgency = NamedChoiceField(Urgency, read_only=True)
    triage_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    status = NamedChoiceField(TipStatus, read_only=True)
    assigned_agency = RefSerializer(read_only=True, allow_null=True)
    triaged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    person = serializers.UUIDField(read_only=True, allow_null=True)
    case = serializers.UUIDField(read_only=True, allow_null=True)
    closure_reason = serializers.CharField(read_only=True)

    def to_representation(self, t: Tip) -> dict[str, Any]:
        detail = self.context.get("detail", False)
        return {
            "id": t.pk,
            "version": t.version,
            "reference": t.reference,
            "agency": agency_ref(t.agency),
            "channel": t.channel,
            "received_at": dt(t.received_at),
            "reporter_anonymous": t.reporter_anonymous,
            # The encrypted texts only on the audited read of one tip, never in lists.
            "reporter_name": t.reporter_name if detail else "",
            "reporter_contact": t.reporter_contact if detail else "",
            "description": t.description if detail else "",
            "country": str(t.country or ""),
            "province": t.province.code if t.province else None,
            "commune": t.commune.code if t.commune else None,
            "people_mentioned": t.people_mentioned if detail else "",
            "urgency": t.urgency,
            "triage_due_at": dt(t.triage_due_at),
            "status": t.status,
            "assigned_agency": agency_ref(t.assigned_agency),
            "triaged_at": dt(t.triaged_at),
            "person": t.person_id,
            "case": t.case_id,
            "closure_reason": t.closure_reason,
        }


class TipWriteSerializer(serializers.Serializer):
    channel = NamedChoiceField(TipChannel)
    received_at = EventDateTimeField(required=False)
    urgency = NamedChoiceField(Urgency, required=False)
    reporter_anonymous = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reporter_contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=10000)
    country = serializers.CharField(
        required=False, default="VN", max_length=2, help_text="ISO 3166 alpha-2 code."
    )
    province = serializers.CharField(
        max_length=2, required=False, allow_blank=True, default="", help_text="A province code."
    )
    commune = serializers.CharField(
        max_length=5, required=False, allow_blank=True, default="", help_text="A commune code."
    )
    people_mentioned = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class TipTriageSerializer(serializers.Serializer):
    ACTIONS = (("assign", "assign"), ("link", "link"), ("open_case", "open_case"), ("close", "close"))

    version = serializers.IntegerField(required=False)
    action = serializers.ChoiceField(ACTIONS)
    agency = agency_field(
        required=False, allow_null=True, help_text="assign: the agency; open_case: the receiver."
    )
    person = serializers.UUIDField(required=False, allow_null=True)
    case = serializers.UUIDField(required=False, allow_null=True)
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
