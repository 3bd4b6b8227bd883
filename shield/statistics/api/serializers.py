"""Serializers of the statistics API: indicators, protected tables and releases."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shield.statistics import indicators
from shield.statistics.models import Release
from shield.statistics.models.releases import REASON_MAX, TITLE_MAX
from shield.statistics.periods import Period
from shield.statistics.selectors.releases import superseded_by

MAX_TABLES = 30
MAX_DIMENSIONS = 3


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_vi = serializers.CharField()
    name_en = serializers.CharField()
    definition_vi = serializers.CharField()
    definition_en = serializers.CharField()
    unit = serializers.CharField()
    dimensions = serializers.ListField(child=serializers.CharField())
    threshold = serializers.IntegerField()


class CellSerializer(serializers.Serializer):
    key = serializers.ListField(
        child=serializers.CharField(), help_text='Categories in dimension order; "_T" is the total.'
    )
    display = serializers.CharField(help_text="What is published: the number, or the suppression mark.")
    status = serializers.CharField(help_text="published, primary or secondary.")
    value = serializers.IntegerField(required=False, help_text="The number, for a published cell only.")


class ProtectedTableSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    unit = serializers.CharField()
    period = serializers.CharField()
    dimensions = serializers.ListField(child=serializers.CharField())
    categories = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    additive = serializers.ListField(child=serializers.BooleanField())
    cells = CellSerializer(many=True)


class AuditRowSerializer(serializers.Serializer):
    table = serializers.IntegerField(help_text="Position of the table in the release, from 0.")
    key = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    lower = serializers.IntegerField()
    upper = serializers.IntegerField(allow_null=True, help_text="None: no upper bound.")
    required_width = serializers.IntegerField()
    ok = serializers.BooleanField()


class TableQuerySerializer(serializers.Serializer):
    indicator = serializers.CharField(max_length=60)
    period = serializers.CharField(max_length=20)
    dimensions = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_indicator(self, value: str) -> str:
        try:
            indicators.indicator_get(value)
        except KeyError as exc:
            raise serializers.ValidationError(_("No such indicator.")) from exc
        return value

    def validate_period(self, value: str) -> str:
        try:
            return Period.parse(value).code
        except ValueError as exc:
            raise serializers.ValidationError(
                _("Give a year (2025), a quarter (2025-Q3) or a month (2025-07).")
            ) from exc

    def validate_dimensions(self, value: str) -> list[str]:
        chosen = [d.strip() for d in value.split(",") if d.strip()]
        if len(chosen) > MAX_DIMENSIONS:
            raise serializers.ValidationError(_("At most %(n)d dimensions.") % {"n": MAX_DIMENSIONS})
        return chosen


class TableSpecSerializer(serializers.Serializer):
    indicator = serializers.CharField(max_length=60)
    dimensions = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=MAX_DIMENSIONS, required=False, default=list
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            indicator = indicators.indicator_get(attrs["indicator"])
        except KeyError as exc:
            raise serializers.ValidationError({"indicator": [_("No such indicator.")]}) from exc
        wrong = [d for d in attrs["dimensions"] if d not in indicator.dimensions]
        if wrong or len(set(attrs["dimensions"])) != len(attrs["dimensions"]):
            raise serializers.ValidationError(
                {"dimensions": [_("This indicator cannot be cut by these dimensions.")]}
            )
        return attrs


class ReleaseCreateSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=20)
    title_vi = serializers.CharField(max_length=TITLE_MAX)
    title_en = serializers.CharField(max_length=TITLE_MAX)
    table_set = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    tables = TableSpecSerializer(many=True, required=False)

    def validate_tables(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_TABLES:
            raise serializers.ValidationError(_("At most %(n)d tables.") % {"n": MAX_TABLES})
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("table_set") and not attrs.get("tables"):
            raise serializers.ValidationError(
                {"table_set": [_("Choose a set of tables, or list the tables.")]}
            )
        return attrs


class ReleaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)
    version = serializers.IntegerField(required=False, min_value=1, help_text="Or send If-Match.")


class ReleaseVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text="Or send If-Match.")


class ReleaseSerializer(serializers.ModelSerializer):
    assembled_by = serializers.CharField(source="assembled_by.username", read_only=True)
    submitted_by = serializers.CharField(
        source="submitted_by.username", read_only=True, allow_null=True, default=None
    )
    approved_by = serializers.CharField(
        source="approved_by.username", read_only=True, allow_null=True, default=None
    )
    superseded_by = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = [
            "id",
            "period",
            "title_vi",
            "title_en",
            "table_set",
            "status",
            "build_state",
            "build_progress",
            "build_error",
            "assembled_by",
            "assembled_at",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "returned_reason",
            "correction_reason",
            "replaces",
            "superseded_by",
            "content_hash",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_superseded_by(self, release: Release) -> str | None:
        found = superseded_by(release)
        return str(found.pk) if found else None


class ReleaseDetailSerializer(ReleaseSerializer):
    tables = serializers.SerializerMethodField()
    audit = serializers.SerializerMethodField()
    audit_ok = serializers.SerializerMethodField()

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "tables", "audit", "audit_ok"]
        read_only_fields = fields

    @extend_schema_field(ProtectedTableSerializer(many=True))
    def get_tables(self, release: Release) -> list[dict[str, Any]]:
        return list(release.content.get("tables", []))

    @extend_schema_field(AuditRowSerializer(many=True))
    def get_audit(self, release: Release) -> list[dict[str, Any]]:
        return list(release.content.get("audit", []))

    def get_audit_ok(self, release: Release) -> bool:
        return bool(release.content.get("audit_ok", False))
