"""What the case API reads and writes about a case itself: the case, its stage, and the references
(person, agency, user) every case record carries.

Input serializers check types only; the services check the rules and answer ValidationFailed (400,
a message per field), InvalidTransition (409) and the rest. Output serializers take
`context={"user": ...}` where they show a person: the name is shown as
`shield.people.selectors.display_name_for` decides (a child's name masked for roles that do not
need it).
"""

import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shield.accounts.models import Agency, User
from shield.cases import deadlines
from shield.cases.models import Case, CaseStageChange, CaseType, RiskLevel, Stage
from shield.cases.selectors import latest_identification
from shield.cases.stages import Option
from shield.core.access import AccessSubject
from shield.core.api.fields import EventDateTimeField
from shield.people.api.serializers import AgencyRefSerializer, PlaceRefSerializer
from shield.people.models import Person
from shield.people.selectors import display_name_for

_DATETIME = serializers.DateTimeField()


def dt(value: datetime.datetime | None) -> str | None:
    """A datetime as the API writes it (ISO 8601 in the server's time zone), None as None."""
    return _DATETIME.to_representation(value) if value is not None else None


def day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def agency_ref(agency: Agency | None) -> dict[str, Any] | None:
    return {"id": agency.pk, "name": agency.name} if agency is not None else None


def user_ref(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def agency_field(**options: Any) -> serializers.PrimaryKeyRelatedField:
    """An agency named by its id. Agencies are a directory every user may name; whether one may be
    used (active, not the owner, ...) is the service's to say."""
    return serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), pk_field=serializers.UUIDField(), **options
    )


def user_field(**options: Any) -> serializers.PrimaryKeyRelatedField:
    """A user named by their id; the service checks that they may take the role given them."""
    return serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), pk_field=serializers.UUIDField(), **options
    )


class NamedChoiceField(serializers.ChoiceField):
    """A choice among a TextChoices set, documented as one enum named after the set
    (`IdentificationStatusEnum`) wherever a field uses it, whatever the field's name: several sets
    share a field name here (`status`, `kind`) and one set several names (`stage`, `to_stage`).
    `schema.NamedChoiceFieldExtension` does the naming."""

    def __init__(self, choice_set: type[models.TextChoices], **options: Any) -> None:
        self.enum_name = f"{choice_set.__name__}Enum"
        super().__init__(choices=choice_set.choices, **options)


class UserRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)

    def to_representation(self, instance: User) -> dict[str, Any]:
        ref = user_ref(instance)
        assert ref is not None
        return ref


class CasePersonSerializer(serializers.Serializer):
    """The case's person as the requesting user may see them; details are under /api/v1/persons/."""

    id = serializers.UUIDField(read_only=True)
    display_name = serializers.CharField(
        read_only=True, help_text=_("A child's name is masked for roles that do not need it.")
    )
    name_masked = serializers.BooleanField(read_only=True)


def person_ref(user: AccessSubject, person: Person) -> dict[str, Any]:
    shown = display_name_for(user=user, person=person)
    return {"id": person.pk, "display_name": shown, "name_masked": shown != person.full_name}


class CaseSerializer(serializers.Serializer):
    """A case in a list."""

    id = serializers.UUIDField(read_only=True)
    reference = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=_("Send it back (or as If-Match) to edit."))
    case_type = serializers.ChoiceField(choices=CaseType.choices, read_only=True)
    stage = NamedChoiceField(Stage, read_only=True)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)
    person = CasePersonSerializer(read_only=True)
    owner_agency = AgencyRefSerializer(read_only=True)
    province = PlaceRefSerializer(read_only=True, help_text=_("The owning agency's province."))
    assigned_worker = UserRefSerializer(read_only=True, allow_null=True)
    reported_at = serializers.DateTimeField(read_only=True)
    opened_at = serializers.DateTimeField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    has_overdue_actions = serializers.BooleanField(read_only=True)

    def to_representation(self, instance: Case) -> dict[str, Any]:
        province = instance.owner_agency.province
        return {
            "id": instance.pk,
            "reference": instance.reference,
            "version": instance.version,
            "case_type": instance.case_type,
            "stage": instance.stage,
            "risk_level": instance.risk_level,
            "person": person_ref(self.context["user"], instance.person),
            "owner_agency": agency_ref(instance.owner_agency),
            "province": {"code": province.code, "name": province.name},
            "assigned_worker": user_ref(instance.assigned_worker),
            "reported_at": dt(instance.reported_at),
            "opened_at": dt(instance.opened_at),
            "closed_at": dt(instance.closed_at),
            "has_overdue_actions": instance.pk in self.context.get("overdue", ()),
        }


class CaseDetailSerializer(CaseSerializer):
    """One case, with what its page shows at the top."""

    has_overdue_actions = None  # type: ignore[assignment]  # a list badge; not on one case
    closure_reason = serializers.CharField(read_only=True)
    created_by = UserRefSerializer(read_only=True)
    identification_status = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("The outcome of the latest identification decision.")
    )
    verification_deadline = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("When the initial verification of the report is due (Law 53/2024), if a rule covers it."),
    )
    verification_overdue = serializers.BooleanField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Case) -> dict[str, Any]:
        data = super().to_representation(instance)
        del data["has_overdue_actions"]
        latest = latest_identification(instance)
        data.update(
            closure_reason=instance.closure_reason,
            created_by=user_ref(instance.created_by),
            identification_status=latest.status if latest else None,
            verification_deadline=dt(deadlines.verification_deadline(instance)),
            verification_overdue=deadlines.is_verification_overdue(instance),
            updated_at=dt(instance.updated_at),
        )
        return data


class CaseStateSerializer(serializers.Serializer):
    """Where a case stands after a write that moved it: its stage and new version."""

    id = serializers.UUIDField(read_only=True)
    reference = serializers.CharField(read_only=True)
    stage = NamedChoiceField(Stage, read_only=True)
    version = serializers.IntegerField(read_only=True)


# --- Input ---------------------------------------------------------------------------------------


class VersionField(serializers.IntegerField):
    def __init__(self, **options: Any) -> None:
        options.setdefault("help_text", _("The version the change is based on, if not sent as If-Match."))
        super().__init__(required=False, min_value=0, **options)


class CaseOpenSerializer(serializers.Serializer):
    person = serializers.UUIDField(help_text=_("A person in your reach (see /api/v1/persons/)."))
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    owner_agency = agency_field(
        required=False, help_text=_("The agency that owns the case; by default your own.")
    )
    reported_at = EventDateTimeField(
        required=False, help_text=_("When the report came in (by default now); deadlines run from it.")
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    assigned_worker = user_field(required=False, allow_null=True)


class CaseUpdateSerializer(serializers.Serializer):
    """The fields of a case that are edited in place; the rest change through their own actions."""

    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    assigned_worker = user_field(
        required=False, allow_null=True, help_text=_("A case worker of the owning agency; null unassigns.")
    )
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    version = VersionField()


class TransitionSerializer(serializers.Serializer):
    to_stage = NamedChoiceField(Stage)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    version = VersionField()


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    version = VersionField()


class CaseListQuerySerializer(serializers.Serializer):
    """The list's filters, as query parameters."""

    stage = serializers.ListField(
        child=NamedChoiceField(Stage),
        required=False,
        help_text=_("Repeat for several stages."),
    )
    case_type = serializers.ChoiceField(choices=CaseType.choices, required=False)
    agency = serializers.UUIDField(required=False, help_text=_("The owning agency's id."))
    province = serializers.CharField(
        required=False, max_length=2, help_text=_("The owning agency's province code, such as 01.")
    )
    assigned_to_me = serializers.BooleanField(required=False, default=False)
    overdue = serializers.BooleanField(
        required=False, default=False, help_text=_("Only cases with care-plan actions past their due date.")
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_(
            "A case reference, a person's name (any order, with or without diacritics) or a document number."
        ),
    )


# --- Stage machine -------------------------------------------------------------------------------


class StageOptionSerializer(serializers.Serializer):
    to_stage = NamedChoiceField(Stage, read_only=True)
    allowed = serializers.BooleanField(read_only=True)
    refused_because = serializers.CharField(read_only=True, help_text=_("Empty when the move is allowed."))

    def to_representation(self, instance: Option) -> dict[str, Any]:
        return {
            "to_stage": str(instance.target),
            "allowed": instance.allowed,
            "refused_because": instance.refused_because,
        }


class StageChangeSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    from_stage = NamedChoiceField(Stage, read_only=True)
    to_stage = NamedChoiceField(Stage, read_only=True)
    changed_by = UserRefSerializer(read_only=True)
    changed_at = serializers.DateTimeField(read_only=True)
    reason = serializers.CharField(read_only=True)

    def to_representation(self, instance: CaseStageChange) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "from_stage": instance.from_stage,
            "to_stage": instance.to_stage,
            "changed_by": user_ref(instance.changed_by),
            "changed_at": dt(instance.changed_at),
            "reason": instance.reason,
        }


class StageMovesSerializer(serializers.Serializer):
    """Where the case stands, the moves the stage machine offers from there (each with why it is
    refused now, if it is), and the stage changes so far, newest first."""

    stage = NamedChoiceField(Stage, read_only=True)
    version = serializers.IntegerField(read_only=True)
    options = StageOptionSerializer(many=True, read_only=True)
    history = StageChangeSerializer(many=True, read_only=True)
