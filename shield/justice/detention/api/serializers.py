"""What the detention API reads and writes. Children's names only for officers assigned."""

from typing import Any

from rest_framework import serializers

from shield.justice.models import DetentionEpisode, DetentionKind, FamilyVisit, PlaceKind
from shield.justice.models.detention import AFTERCARE_MAX, PLACE_NAME_MAX
from shield.justice.proceedings.selectors import party_name_in_list as party_name


class EpisodeSerializer(serializers.ModelSerializer[DetentionEpisode]):
    party = serializers.UUIDField(source="party_id", read_only=True)
    proceeding = serializers.CharField(source="party.proceeding.reference", read_only=True)
    child = serializers.SerializerMethodField()
    visits = serializers.SerializerMethodField()

    class Meta:
        model = DetentionEpisode
        fields = [
            "id",
            "version",
            "party",
            "proceeding",
            "child",
            "kind",
            "place_name",
            "place_kind",
            "started_on",
            "ended_on",
            "separated_from_adults",
            "died_on",
            "aftercare_received",
            "aftercare_detail",
            "visits",
            "created_at",
        ]
        read_only_fields = fields

    def get_child(self, episode: DetentionEpisode) -> str:
        assigned: set[object] = self.context.get("assigned", set())
        return party_name(party=episode.party, person=episode.party.person, assigned=assigned)

    def get_visits(self, episode: DetentionEpisode) -> int | None:
        counts: dict[Any, int] | None = self.context.get("visit_counts")
        return None if counts is None else counts.get(episode.pk, 0)


class EpisodeWriteFields(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=DetentionKind.choices)
    place_name = serializers.CharField(max_length=PLACE_NAME_MAX)
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True)
    separated_from_adults = serializers.BooleanField()
    died_on = serializers.DateField(required=False, allow_null=True)
    aftercare_received = serializers.BooleanField(required=False, allow_null=True)
    aftercare_detail = serializers.CharField(max_length=AFTERCARE_MAX, required=False, allow_blank=True)


class EpisodeCreateSerializer(EpisodeWriteFields):
    party = serializers.UUIDField()


class EpisodeUpdateSerializer(EpisodeWriteFields):
    """A partial change: only the fields sent are changed."""

    version = serializers.IntegerField(required=False, min_value=1)


class VisitSerializer(serializers.ModelSerializer[FamilyVisit]):
    class Meta:
        model = FamilyVisit
        fields = ["id", "visited_on", "created_at"]
        read_only_fields = fields


class VisitCreateSerializer(serializers.Serializer[dict[str, Any]]):
    visited_on = serializers.DateField()
