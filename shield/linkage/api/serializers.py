"""What the linkage API reads and writes. Output serializers take `context={"user": ...}`: the
persons' names are masked as `people.selectors.display_name_for` masks them."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shield.linkage.models import Decision, PairStatus, RunStatus
from shield.people import selectors as people_selectors
from shield.people.models import Person


class EvidenceSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="family, given, middle, birth, id_number, sex or province.")
    level = serializers.CharField(help_text="The level of agreement the pair reached on this field.")
    weight = serializers.FloatField(
        help_text="Bits of evidence (log2 Bayes factor); positive speaks for a match."
    )


class PairPersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField(help_text="A child's name is masked for roles that do not need it.")
    agency = serializers.CharField()


class ReviewPairSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="Send it back (or as If-Match) to decide.")
    status = serializers.ChoiceField(choices=PairStatus.choices, read_only=True)
    match_probability = serializers.FloatField(read_only=True)
    match_weight = serializers.FloatField(read_only=True)
    person = serializers.SerializerMethodField()
    other_person = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    run = serializers.UUIDField(source="run_id", read_only=True)

    def _person(self, person: Person) -> dict[str, Any]:
        return {
            "id": person.pk,
            "display_name": people_selectors.display_name_for(user=self.context["user"], person=person),
            "agency": person.owner_agency.name,
        }

    @extend_schema_field(PairPersonSerializer)
    def get_person(self, pair: Any) -> dict[str, Any]:
        return self._person(pair.person_low)

    @extend_schema_field(PairPersonSerializer)
    def get_other_person(self, pair: Any) -> dict[str, Any]:
        return self._person(pair.person_high)


class PairDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(
        required=False, help_text="The version decided on, unless If-Match says it."
    )


class RunSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    status = serializers.ChoiceField(choices=RunStatus.choices, read_only=True)
    progress = serializers.IntegerField(read_only=True, help_text="0 to 100.")
    stage = serializers.CharField(read_only=True)
    person_count = serializers.IntegerField(read_only=True)
    individual_count = serializers.IntegerField(read_only=True)
    new_individual_count = serializers.IntegerField(read_only=True)
    review_pair_count = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
