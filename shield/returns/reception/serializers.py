"""What the reception API reads and writes: returns, verification requests, receptions and their
members. Input serializers check types and lengths only; the services check the rules (400 with a
message per field, 409 for a record's state, 412/428 for versions)."""

import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from rest_framework import serializers

from shield.cases.api.serializers import NamedChoiceField
from shield.core.api.fields import EventDateTimeField, code_field
from shield.geo import selectors as geo
from shield.geo.models import Commune
from shield.intake.api.serializers import ScreeningWriteSerializer
from shield.intake.models import ScreeningStatus
from shield.intake.risk import Outcome
from shield.people.models import Sex
from shield.people.selectors import display_name_for
from shield.returns.models import (
    Disposition,
    ReceptionMember,
    ReceptionStatus,
    Return,
    ReturnChannel,
    ReturnHow,
    ReturnStatus,
    VerificationRequest,
    VerificationStatus,
)

# An autosaved draft is what an officer typed for one returnee: a few answers and notes. Past this
# many bytes (UTF-8 JSON) it is refused, so a runaway client cannot fill the database.
DRAFT_LIMIT_BYTES = 16 * 1024


def _country(value: str) -> str:
    code = countries.alpha2(str(value or "").strip().upper())
    if not code:
        raise serializers.ValidationError(_("Choose a country from the list."))
    return str(code)


class CountryCodeField(serializers.CharField):
    """A country by its ISO 3166 alpha-2 code (`CN`); an unknown code is a field error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        kwargs.setdefault("help_text", "ISO 3166 alpha-2 code, such as CN.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return _country(super().to_internal_value(data))


def _gate_field(**kwargs: Any) -> Any:
    return code_field(
        max_length=50,
        slug_field="code",
        queryset=geo.border_gate_list(),
        help_text="A border gate's code.",
        **kwargs,
    )


class _Versioned(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version read (or send If-Match)."
    )


# --- Returns -------------------------------------------------------------------------------------


class ReturnSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    person = serializers.UUIDField(source="person_id", read_only=True)
    person_name = serializers.SerializerMethodField(help_text="Masked for a child when your role says so.")
    agency = serializers.UUIDField(source="agency_id", read_only=True)
    country = serializers.CharField(read_only=True, help_text="ISO 3166 alpha-2 code.")
    how = NamedChoiceField(ReturnHow, read_only=True)
    channel = NamedChoiceField(ReturnChannel, read_only=True)
    status = NamedChoiceField(ReturnStatus, read_only=True)
    expected_on = serializers.DateField(read_only=True, allow_null=True)
    returned_on = serializers.DateField(read_only=True, allow_null=True)
    border_gate = serializers.CharField(
        source="border_gate.code", read_only=True, allow_null=True, default=None, help_text="The gate's code."
    )
    case = serializers.UUIDField(source="case_id", read_only=True, allow_null=True)
    created_at = EventDateTimeField(read_only=True)

    def get_person_name(self, obj: Return) -> str:
        return display_name_for(user=self.context["user"], person=obj.person)


class ReturnDetailSerializer(ReturnSerializer):
    """One return, read alone (audited): its notes, why it was cancelled, its verification request and
    the reception it was received in."""

    notes = serializers.CharField(read_only=True)
    cancel_reason = serializers.CharField(read_only=True)
    verification = serializers.SerializerMethodField()
    reception = serializers.SerializerMethodField()
    reception_member = serializers.SerializerMethodField()

    def _member(self, obj: Return) -> ReceptionMember | None:
        try:
            return obj.reception_member
        except ReceptionMember.DoesNotExist:
            return None

    def get_verification(self, obj: Return) -> str | None:
        try:
            return str(obj.verification.pk)
        except VerificationRequest.DoesNotExist:
            return None

    def get_reception(self, obj: Return) -> str | None:
        member = self._member(obj)
        return str(member.event_id) if member else None

    def get_reception_member(self, obj: Return) -> str | None:
        member = self._member(obj)
        return str(member.pk) if member else None


class ReturnCreateSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField(help_text="A person of the registry in your reach.")
    country = CountryCodeField(help_text="The country returned from (ISO 3166 alpha-2).")
    how = NamedChoiceField(ReturnHow)
    channel = NamedChoiceField(ReturnChannel)
    expected_on = serializers.DateField(required=False, allow_null=True)
    returned_on = serializers.DateField(
        required=False, allow_null=True, help_text="Given: the return is received; else expected."
    )
    border_gate = _gate_field(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class ReturnCancelSerializer(_Versioned):
    reason = serializers.CharField(max_length=1000, allow_blank=True)


# --- Verification requests -----------------------------------------------------------------------


class VerificationSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    return_record = serializers.UUIDField(source="return_record_id", read_only=True)
    return_reference = serializers.CharField(source="return_record.reference", read_only=True)
    person = serializers.UUIDField(source="return_record.person_id", read_only=True)
    person_name = serializers.SerializerMethodField(help_text="Masked for a child when your role says so.")
    foreign_authority = serializers.CharField(read_only=True)
    foreign_reference = serializers.CharField(read_only=True)
    received_at = EventDateTimeField(read_only=True)
    status = NamedChoiceField(VerificationStatus, read_only=True)
    answer_due_at = EventDateTimeField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(help_text="Not answered and past the day it was due.")
    checked_at = EventDateTimeField(read_only=True, allow_null=True)
    checked_by = serializers.UUIDField(source="checked_by_id", read_only=True, allow_null=True)
    decided_at = EventDateTimeField(read_only=True, allow_null=True)
    decided_by = serializers.UUIDField(source="decided_by_id", read_only=True, allow_null=True)
    answered_at = EventDateTimeField(read_only=True, allow_null=True)
    answer_reference = serializers.CharField(read_only=True)

    def get_person_name(self, obj: VerificationRequest) -> str:
        return display_name_for(user=self.context["user"], person=obj.return_record.person)

    def get_overdue(self, obj: VerificationRequest) -> bool:
        return (
            obj.status != VerificationStatus.ANSWERED
            and obj.answer_due_at is not None
            and obj.answer_due_at < timezone.now()
        )


class VerificationDetailSerializer(VerificationSerializer):
    """One request, read alone (audited): what was checked and what the decision rests on."""

    checks = serializers.DictField(
        read_only=True,
        help_text="documents, has_cccd, individual and linkage_candidates as the check found them.",
    )
    decision_note = serializers.CharField(read_only=True)
    confirmed = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="The decision, kept after the answer: null before it."
    )


class VerificationCreateSerializer(serializers.Serializer[Any]):
    return_record = serializers.UUIDField(help_text="The return the foreign authority asks about.")
    foreign_authority = serializers.CharField(max_length=200)
    foreign_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    received_at = EventDateTimeField()


class VerificationCheckSerializer(_Versioned):
    pass


class VerificationDecideSerializer(_Versioned):
    confirmed = serializers.BooleanField(help_text="true: confirmed Vietnamese; false: not confirmed.")
    basis = serializers.CharField(max_length=2000, allow_blank=True)


class VerificationAnswerSerializer(_Versioned):
    answer_reference = serializers.CharField(max_length=100, allow_blank=True)


# --- Receptions ----------------------------------------------------------------------------------


class MemberSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    reception = serializers.UUIDField(source="event_id", read_only=True)
    position = serializers.IntegerField(read_only=True)
    return_record = serializers.UUIDField(source="return_record_id", read_only=True)
    return_reference = serializers.CharField(source="return_record.reference", read_only=True)
    person = serializers.UUIDField(source="return_record.person_id", read_only=True)
    person_name = serializers.SerializerMethodField(help_text="Masked for a child when your role says so.")
    case = serializers.UUIDField(source="return_record.case_id", read_only=True, allow_null=True)
    screening = serializers.UUIDField(source="screening_id", read_only=True, allow_null=True)
    screening_status = NamedChoiceField(
        ScreeningStatus, source="screening.status", read_only=True, allow_null=True, default=None
    )
    screening_outcome = serializers.CharField(
        source="screening.outcome", read_only=True, allow_null=True, default=None, help_text="Once screened."
    )
    disposition = NamedChoiceField(Disposition, read_only=True)
    handed_to = serializers.CharField(read_only=True)
    commune = serializers.CharField(source="commune.code", read_only=True, allow_null=True, default=None)
    referral = serializers.UUIDField(source="referral_id", read_only=True, allow_null=True)
    updated_at = EventDateTimeField(read_only=True)

    def get_person_name(self, obj: ReceptionMember) -> str:
        return display_name_for(user=self.context["user"], person=obj.return_record.person)


class MemberDetailSerializer(MemberSerializer):
    draft = serializers.DictField(read_only=True, help_text="What the officer typed so far (autosave).")


class ReceptionSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    agency = serializers.UUIDField(source="agency_id", read_only=True)
    border_gate = serializers.CharField(
        source="border_gate.code", read_only=True, help_text="The gate's code."
    )
    country = serializers.CharField(read_only=True, help_text="Who handed the group over (ISO 3166 alpha-2).")
    channel = NamedChoiceField(ReturnChannel, read_only=True)
    foreign_authority = serializers.CharField(read_only=True)
    received_at = EventDateTimeField(read_only=True)
    status = NamedChoiceField(ReceptionStatus, read_only=True)
    screening_group = serializers.UUIDField(source="screening_group_id", read_only=True, allow_null=True)
    receipt_number = serializers.CharField(read_only=True)
    receipt_signed_at = EventDateTimeField(read_only=True, allow_null=True)
    completed_at = EventDateTimeField(read_only=True, allow_null=True)
    created_at = EventDateTimeField(read_only=True)


class ReceptionDetailSerializer(ReceptionSerializer):
    """One reception with its officers and, inline, its first members (all of them: `members/`)."""

    officers = serializers.ListField(child=serializers.UUIDField(), read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    members_truncated = serializers.BooleanField(
        read_only=True, help_text="More members than shown inline: read them from `members/`."
    )


class ReceptionOpenSerializer(serializers.Serializer[Any]):
    border_gate = _gate_field()
    country = CountryCodeField(help_text="The country handing the group over (ISO 3166 alpha-2).")
    channel = NamedChoiceField(ReturnChannel)
    received_at = EventDateTimeField()
    foreign_authority = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    officers = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=20,
        default=list,
        help_text="Other officers of your agency who received the group (you are one of them).",
    )


class MemberAddSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField(
        required=False, allow_null=True, help_text="An existing person of the registry in your reach."
    )
    full_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Without `person`: registered now.",
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2200)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("person") and attrs.get("full_name", "").strip():
            raise serializers.ValidationError(
                {"person": [_("Give either an existing person or a name, not both.")]}
            )
        if not attrs.get("person") and not attrs.get("full_name", "").strip():
            raise serializers.ValidationError(
                {"full_name": [_("Give an existing person or the name to register.")]}
            )
        year = attrs.get("birth_year")
        if year is not None and year > timezone.localdate().year:
            raise serializers.ValidationError(
                {"birth_year": [_("The year of birth cannot be in the future.")]}
            )
        return attrs


def _check_draft(value: Any) -> None:
    """No NUL character anywhere: PostgreSQL's JSON cannot hold one (SQLite would)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            raise serializers.ValidationError(_("Null characters are not allowed."))
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def too_large() -> str:
    return _("The draft is too large: at most %(kb)d KB.") % {"kb": DRAFT_LIMIT_BYTES // 1024}


def draft_size(draft: dict[str, Any]) -> int:
    return len(json.dumps(draft, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


class DraftField(serializers.DictField):
    """A draft: any JSON object of at most DRAFT_LIMIT_BYTES, with no NUL character."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value: dict[str, Any] = super().to_internal_value(data)
        _check_draft(value)
        if draft_size(value) > DRAFT_LIMIT_BYTES:
            raise serializers.ValidationError(too_large())
        return value


class MemberDraftSerializer(_Versioned):
    draft = DraftField(
        help_text=("PUT: the whole draft; PATCH: keys to change (null removes a key). At most 16 KB as JSON.")
    )


class MemberScreenSerializer(_Versioned):
    outcome = NamedChoiceField(Outcome)
    # Declared fields leave the class body (DRF's metaclass), so `Serializer.data` is untouched.
    data = ScreeningWriteSerializer(  # type: ignore[assignment]
        required=False, help_text="The screening's answers and traveller fields, applied first."
    )


class MemberDisposeSerializer(_Versioned):
    disposition = NamedChoiceField(Disposition)
    handed_to = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="family: who received them."
    )
    commune = code_field(
        max_length=5,
        slug_field="code",
        queryset=Commune.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="commune: the commune's code.",
    )
    referral = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="referred: the returnee's referral."
    )


class ReceptionCompleteSerializer(_Versioned):
    receipt_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    receipt_signed_at = EventDateTimeField(required=False, allow_null=True, default=None)
