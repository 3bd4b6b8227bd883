"""What the person API reads and writes. Input serializers check types only; the services check
the rules and answer ValidationFailed (400, a message per field) for the rest.

Output serializers take `context={"user": ...}`: a child's name is masked for users without
`people.see_child_names` (as `selectors.display_name_for` decides) and contact details are
included only for users who may register people.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shield.core.api.fields import code_field
from shield.geo import selectors as geo
from shield.geo.models import Commune
from shield.people import selectors
from shield.people.ethnicities import ethnicity_choices
from shield.people.models import (
    Alias,
    AliasKind,
    BirthDatePrecision,
    DocumentKind,
    DocumentStatus,
    IdentityDocument,
    Person,
    RelationshipKind,
    Sex,
)
from shield.people.names import initials

REGISTER_PERMISSION = "people.register"


def name_hidden(user: Any, person: Person) -> bool:
    """Whether this user sees the person's name masked (see `selectors.display_name_for`)."""
    return selectors.display_name_for(user=user, person=person) != person.full_name


class ErrorSerializer(serializers.Serializer):
    """The error shape: a message, plus a list of messages per field for a 400."""

    detail = serializers.CharField()


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class PlaceRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    """A person as the requesting user may see them."""

    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=_("Send it back (or as If-Match) to edit."))
    display_name = serializers.CharField(
        read_only=True,
        help_text=_("The name to show: a child's name is masked for roles that do not need it."),
    )
    name_masked = serializers.BooleanField(read_only=True)
    full_name = serializers.CharField(read_only=True, allow_null=True, help_text=_("Null when masked."))
    family_name = serializers.CharField(read_only=True, allow_null=True)
    middle_name = serializers.CharField(read_only=True, allow_null=True)
    given_name = serializers.CharField(read_only=True, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, read_only=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=BirthDatePrecision.choices, read_only=True)
    estimated_age = serializers.IntegerField(read_only=True, allow_null=True)
    age_estimated_on = serializers.DateField(read_only=True, allow_null=True)
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    is_child = serializers.BooleanField(read_only=True, allow_null=True)
    nationality = serializers.CharField(read_only=True, help_text=_("ISO 3166 alpha-2 code."))
    ethnicity = serializers.CharField(read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    home_province = PlaceRefSerializer(read_only=True, allow_null=True)
    home_commune = PlaceRefSerializer(read_only=True, allow_null=True)
    contact = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_("Only for users who may register people; null otherwise."),
    )
    disability = serializers.CharField(read_only=True)
    owner_agency = AgencyRefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Person) -> dict[str, Any]:
        user = self.context["user"]
        hidden = name_hidden(user, instance)
        return {
            "id": instance.pk,
            "version": instance.version,
            "display_name": selectors.display_name_for(user=user, person=instance),
            "name_masked": hidden,
            "full_name": None if hidden else instance.full_name,
            "family_name": None if hidden else instance.family_name,
            "middle_name": None if hidden else instance.middle_name,
            "given_name": None if hidden else instance.given_name,
            "sex": instance.sex,
            "birth_date": _iso(instance.birth_date),
            "birth_date_precision": instance.birth_date_precision,
            "estimated_age": instance.estimated_age,
            "age_estimated_on": _iso(instance.age_estimated_on),
            "birth_year": instance.birth_year,
            "is_child": instance.is_child(),
            "nationality": str(instance.nationality or ""),
            "ethnicity": instance.ethnicity,
            "languages": list(instance.languages or []),
            "home_province": _place(instance.home_province),
            "home_commune": _place(instance.home_commune),
            "contact": instance.contact if user.has_perm(REGISTER_PERMISSION) else None,
            "disability": instance.disability,
            "owner_agency": {"id": instance.owner_agency.pk, "name": instance.owner_agency.name},
            "created_at": serializers.DateTimeField().to_representation(instance.created_at),
            "updated_at": serializers.DateTimeField().to_representation(instance.updated_at),
        }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _place(place: Any) -> dict[str, str] | None:
    return {"code": place.code, "name": place.name} if place is not None else None


class PersonWriteSerializer(serializers.Serializer):
    """Registering or changing a person. On PUT every field is replaced (those left out take
    their empty value); on PATCH only the fields sent change. A name part left out (or null) is
    parsed from `full_name`."""

    full_name = serializers.CharField(max_length=200)
    family_name = serializers.CharField(max_length=100, required=False, allow_null=True, allow_blank=True)
    middle_name = serializers.CharField(max_length=100, required=False, allow_null=True, allow_blank=True)
    given_name = serializers.CharField(max_length=100, required=False, allow_null=True, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(
        choices=BirthDatePrecision.choices,
        required=False,
        allow_null=True,
        help_text=_("Inferred when left out: an estimated age, else a date (exact), else unknown."),
    )
    estimated_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    age_estimated_on = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text=_("ISO 3166 alpha-2 code, such as VN.")
    )
    ethnicity = serializers.ChoiceField(choices=ethnicity_choices(), required=False, allow_blank=True)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=3),
        required=False,
        help_text=_("ISO 639 codes, such as vi, hmn."),
    )
    home_province = code_field(
        max_length=2, slug_field="code", queryset=geo.province_list(), required=False, allow_null=True
    )
    # Communes are public reference data (no access rule); the code alone identifies one.
    home_commune = code_field(
        max_length=5, slug_field="code", queryset=Commune.objects.all(), required=False, allow_null=True
    )
    contact = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    disability = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text=_("The version edited, if not sent as If-Match.")
    )

    # What a field left out of a PUT becomes.
    EMPTY: dict[str, Any] = {
        "family_name": None,
        "middle_name": None,
        "given_name": None,
        "birth_date": None,
        "birth_date_precision": None,
        "estimated_age": None,
        "age_estimated_on": None,
        "nationality": "",
        "ethnicity": "",
        "languages": [],
        "home_province": None,
        "home_commune": None,
        "contact": "",
        "disability": "",
    }

    def values(self, *, replace: bool) -> dict[str, Any]:
        """The service's keyword arguments: every field when replacing, else only those sent."""
        data = {k: v for k, v in self.validated_data.items() if k != "version"}
        for part in ("family_name", "middle_name", "given_name"):
            if data.get(part) == "":
                data[part] = None
        if replace:
            data = {**self.EMPTY, **data}
        return data


class DocumentFixSerializer(serializers.Serializer):
    """A correction (the document's details as they should be) or `entered_in_error` alone."""

    action = serializers.ChoiceField(choices=["correct", "entered_in_error"])
    reason = serializers.CharField(max_length=500)
    version = serializers.IntegerField(min_value=1, required=False, help_text=_("Or send If-Match."))
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    number = serializers.CharField(max_length=50, required=False)
    issuing_country = serializers.CharField(max_length=2, default="VN")
    issued_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["action"] == "correct":
            missing = {
                name: [str(_("This field is required."))]
                for name in ("kind", "number")
                if not attrs.get(name)
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class DocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    number = serializers.CharField(max_length=50)
    issuing_country = serializers.CharField(max_length=2, default="VN", help_text=_("ISO 3166 alpha-2 code."))
    issued_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    status = serializers.ChoiceField(
        choices=DocumentStatus.choices,
        read_only=True,
        help_text=_("current; superseded (corrected: see replaced_by); entered_in_error."),
    )
    replaced_by = serializers.UUIDField(source="replaced_by_id", read_only=True, allow_null=True)
    status_reason = serializers.CharField(read_only=True)
    status_changed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    warnings = serializers.SerializerMethodField(
        help_text=_("What in the number contradicts the holder: saved anyway, shown to users.")
    )
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.DictField(child=serializers.CharField())))
    def get_warnings(self, document: IdentityDocument) -> list[dict[str, str]]:
        return [
            {"code": code, "message": message}
            for code, message in zip(document.warnings or [], document.warning_messages, strict=True)
        ]

    def to_representation(self, instance: IdentityDocument) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["issuing_country"] = str(instance.issuing_country or "")
        return data


class AliasSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(
        max_length=200, help_text=_("Masked, like the person's name, when it must be.")
    )
    kind = serializers.ChoiceField(choices=AliasKind.choices, default=AliasKind.NICKNAME)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Alias) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("name_hidden"):
            data["name"] = initials(instance.name)
        return data


class RelationshipSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=RelationshipKind.choices)
    related_person = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("A registered person; null when they are not registered or not in your reach."),
    )
    related_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("For someone not registered."),
    )
    name = serializers.CharField(read_only=True, help_text=_("The related person as you may see them."))
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: selectors.RelatedEntry) -> dict[str, Any]:
        relationship = instance.relationship
        return {
            "id": relationship.pk,
            "kind": relationship.kind,
            "related_person": instance.related_person.pk if instance.related_person else None,
            "name": instance.name,
            "notes": relationship.notes,
            "created_at": serializers.DateTimeField().to_representation(relationship.created_at),
        }
