"""Serializers of the proceedings API. Output serializers read what the selectors give; input
serializers bound every field (text lengths, list sizes)."""

from typing import Any

from rest_framework import serializers

from shield.core.api.fields import EventDateTimeField
from shield.justice.models import (
    FamilyMatter,
    HoldingRole,
    JusticeAssignment,
    Party,
    PartyOutcome,
    PartyRole,
    Proceeding,
    ProceedingHolding,
    ProceedingKind,
    ProceedingStatus,
    ProceedingStep,
    StepKind,
)
from shield.justice.proceedings import offences
from shield.justice.proceedings.services import NOTE_MAX_LENGTH


class ProceedingSerializer(serializers.ModelSerializer[Proceeding]):
    holding_agency = serializers.CharField(source="holding_agency.code", read_only=True)
    offences = serializers.SerializerMethodField()
    has_child_parties = serializers.SerializerMethodField()

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "reference",
            "kind",
            "status",
            "holding_agency",
            "holding_role",
            "reported_at",
            "closed_at",
            "offences",
            "has_child_parties",
            "version",
        ]
        read_only_fields = fields

    def get_offences(self, obj: Proceeding) -> list[str]:
        return [o.code for o in obj.offences.all()]

    def get_has_child_parties(self, obj: Proceeding) -> bool | None:
        return getattr(obj, "has_children", None)


class OffenceSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    article = serializers.IntegerField()
    name = serializers.CharField()
    offence_class = serializers.CharField()
    trafficking = serializers.BooleanField()
    verified = serializers.BooleanField()


class ProceedingDetailSerializer(ProceedingSerializer):
    summary = serializers.CharField(read_only=True)
    offence_details = serializers.SerializerMethodField()

    class Meta(ProceedingSerializer.Meta):
        fields = [*ProceedingSerializer.Meta.fields, "summary", "offence_details"]
        read_only_fields = fields

    def get_offence_details(self, obj: Proceeding) -> list[dict[str, Any]]:
        found = [offences.get(o.code) for o in obj.offences.all()]
        return [OffenceSerializer(o).data for o in found if o is not None]


class HoldingSerializer(serializers.ModelSerializer[ProceedingHolding]):
    agency = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = ProceedingHolding
        fields = ["id", "agency", "role", "started_at", "ended_at"]
        read_only_fields = fields


class StepSerializer(serializers.ModelSerializer[ProceedingStep]):
    agency = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = ProceedingStep
        fields = ["id", "kind", "occurred_on", "scheduled_for", "agency", "note", "created_at"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer[JusticeAssignment]):
    officer = serializers.CharField(source="officer.username", read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = JusticeAssignment
        fields = ["id", "officer", "agency", "created_at", "ended_at"]
        read_only_fields = fields


class PartySerializer(serializers.ModelSerializer[Party]):
    name = serializers.CharField(source="display_name", read_only=True)
    person = serializers.UUIDField(source="person_id", read_only=True)
    protection_case = serializers.CharField(source="protection_case.reference", read_only=True, default=None)

    class Meta:
        model = Party
        fields = [
            "id",
            "person",
            "name",
            "role",
            "family_matter",
            "event_on",
            "is_child",
            "protection_case",
            "outcome",
            "outcome_on",
            "sentence_custodial",
            "sentence_months",
            "version",
        ]
        read_only_fields = fields


# --- Input ---------------------------------------------------------------------------------------


class ProceedingListQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, max_length=80, allow_blank=True)
    status = serializers.ChoiceField(choices=ProceedingStatus.choices, required=False)
    holding_agency = serializers.UUIDField(required=False)
    offence = serializers.CharField(required=False, max_length=40)
    trafficking = serializers.BooleanField(required=False, default=False)
    children = serializers.BooleanField(required=False, default=False)


class ProceedingOpenSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ProceedingKind.choices)
    offences = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, default=list)
    holding_agency = serializers.UUIDField()
    holding_role = serializers.ChoiceField(choices=HoldingRole.choices)
    reported_at = EventDateTimeField()
    summary = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")


class StepInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    scheduled_for = EventDateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class HandOverSerializer(serializers.Serializer[Any]):
    to_agency = serializers.UUIDField()
    to_role = serializers.ChoiceField(choices=HoldingRole.choices)
    version = serializers.IntegerField(required=False, min_value=1)


class AssignSerializer(serializers.Serializer[Any]):
    officer = serializers.CharField(max_length=150, help_text="The officer's username.")


class PartyInputSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField()
    role = serializers.ChoiceField(choices=PartyRole.choices)
    family_matter = serializers.ChoiceField(
        choices=FamilyMatter.choices, required=False, allow_blank=True, default=""
    )
    event_on = serializers.DateField()
    protection_case = serializers.CharField(required=False, allow_blank=True, max_length=80, default="")


class PartyUpdateSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=PartyOutcome.choices, required=False)
    outcome_on = serializers.DateField(required=False)
    sentence_custodial = serializers.BooleanField(required=False, allow_null=True, default=None)
    sentence_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=360, default=None
    )
    protection_case = serializers.CharField(required=False, allow_blank=True, max_length=80)
    version = serializers.IntegerField(required=False, min_value=1)


class TimelineStepSerializer(serializers.ModelSerializer[ProceedingStep]):
    """A step as a linked protection case's workers see it: its kind and dates, no note or author."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ProceedingStep
        fields = ["kind", "kind_label", "occurred_on", "scheduled_for"]
        read_only_fields = fields


class TimelineSerializer(serializers.ModelSerializer[Proceeding]):
    """A proceeding's steps and hearing dates: what the workers of a linked protection case read
    (no parties, summary, offences, notes or evidence). `view` says whether the reader also sees it
    in full elsewhere (`full`) or only this (`restricted`)."""

    holding_agency = serializers.CharField(source="holding_agency.name", read_only=True)
    steps = TimelineStepSerializer(many=True, read_only=True, source="timeline")
    next_hearing = serializers.DateTimeField(read_only=True, allow_null=True)
    view = serializers.CharField(read_only=True)

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "reference",
            "kind",
            "status",
            "holding_agency",
            "holding_role",
            "next_hearing",
            "steps",
            "view",
        ]
        read_only_fields = fields


class CaseTimelinesSerializer(serializers.Serializer[Any]):
    """The proceedings linked to one case (at most the first 50, `truncated` when there are more)."""

    results = TimelineSerializer(many=True)
    truncated = serializers.BooleanField()
