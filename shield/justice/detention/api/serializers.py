"""What the detention API reads and writes. Children's names only for officers assigned."""

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from shield.justice.children.services import MAX_JUSTIFICATION
from shield.justice.detention import limits
from shield.justice.models import DetentionEpisode, DetentionKind, FamilyVisit, PlaceKind
from shield.justice.models.detention import AFTERCARE_MAX, PLACE_NAME_MAX
from shield.justice.proceedings.selectors import party_name_in_list as party_name


class EpisodeSerializer(serializers.ModelSerializer[DetentionEpisode]):
    party = serializers.UUIDField(source="party_id", read_only=True)
    proceeding = serializers.CharField(source="party.proceeding.reference", read_only=True)
    child = serializers.SerializerMethodField()
    visits = serializers.SerializerMethodField()
    limit = serializers.SerializerMethodField()

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
            "started_time",
            "ended_on",
            "ended_time",
            "limit",
            "limit_justification",
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

    def get_limit(self, episode: DetentionEpisode) -> dict[str, Any] | None:
        """The child's limit by the rule in force on the first day (null: none applies)."""
        view = limits.view_of(episode, child_rules=self.context["child_rules"])
        if view is None:
            return None
        return {
            "rule": view.limit.key,
            "hours": view.limit.hours,
            "ends_at": timezone.localtime(view.ends_at).isoformat(),
            "state": view.state,
            "law": view.limit.law,
            "verified": view.limit.verified,
            "overridden": view.limit.overridden,
        }

    def get_visits(self, episode: DetentionEpisode) -> int | None:
        counts: dict[Any, int] | None = self.context.get("visit_counts")
        return None if counts is None else counts.get(episode.pk, 0)


class EpisodeWriteFields(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=DetentionKind.choices)
    place_name = serializers.CharField(max_length=PLACE_NAME_MAX)
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices)
    started_on = serializers.DateField()
    started_time = serializers.TimeField(required=False, allow_null=True)
    ended_on = serializers.DateField(required=False, allow_null=True)
    ended_time = serializers.TimeField(required=False, allow_null=True)
    separated_from_adults = serializers.BooleanField()
    died_on = serializers.DateField(required=False, allow_null=True)
    aftercare_received = serializers.BooleanField(required=False, allow_null=True)
    aftercare_detail = serializers.CharField(max_length=AFTERCARE_MAX, required=False, allow_blank=True)
    justification = serializers.CharField(max_length=MAX_JUSTIFICATION, required=False, allow_blank=True)


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
