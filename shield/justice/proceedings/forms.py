"""Forms of the proceedings pages: filters and one form per service. Every text has a max length."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind
from shield.core.forms import QuickSelect, ShortModelChoiceField, VersionedForm
from shield.justice.models import (
    FamilyMatter,
    HoldingRole,
    PartyOutcome,
    PartyRole,
    ProceedingKind,
    ProceedingStatus,
    StepKind,
)
from shield.justice.proceedings import offences
from shield.justice.proceedings.services import NOTE_MAX_LENGTH

JUSTICE_AGENCY_KINDS = [
    AgencyKind.POLICE_NATIONAL,
    AgencyKind.POLICE_PROVINCIAL,
    AgencyKind.BORDER_GUARD,
    AgencyKind.PROCURACY,
    AgencyKind.COURT,
]


def justice_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(kind__in=JUSTICE_AGENCY_KINDS, is_active=True).order_by("name_vi")


def _select(**attrs: Any) -> QuickSelect:
    return QuickSelect(attrs={"class": "form-select", **attrs})


def _date(**attrs: Any) -> forms.DateInput:
    return forms.DateInput(attrs={"class": "form-control", "type": "date", **attrs}, format="%Y-%m-%d")


def _datetime() -> forms.DateTimeInput:
    return forms.DateTimeInput(
        attrs={"class": "form-control", "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
    )


def _blank(choices: Any, label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ProceedingFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(ProceedingStatus.choices, _("Any")),
        widget=_select(),
    )
    holding_agency = ShortModelChoiceField(
        label=_("Held by"), required=False, queryset=Agency.objects.none(), empty_label=_("Any")
    )
    offence = forms.ChoiceField(label=_("Offence"), required=False, widget=_select())
    trafficking = forms.BooleanField(
        label=_("Trafficking only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    children = forms.BooleanField(
        label=_("With child parties"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["holding_agency"]
        assert isinstance(field, ShortModelChoiceField)
        field.queryset = justice_agencies()
        field.widget.attrs["class"] = "form-select"
        offence_field = self.fields["offence"]
        assert isinstance(offence_field, forms.ChoiceField)
        offence_field.choices = _blank(offences.choices(), _("Any"))

    def has_filters(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


class ProceedingOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProceedingKind.choices, widget=_select())
    offences = forms.MultipleChoiceField(
        label=_("Offences"),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
        help_text=_("Penal Code articles; a criminal proceeding needs at least one."),
    )
    holding_agency = forms.ModelChoiceField(
        label=_("Held by"),
        queryset=Agency.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    holding_role = forms.ChoiceField(label=_("Held as"), choices=HoldingRole.choices, widget=_select())
    reported_at = forms.DateTimeField(label=_("Report received at"), widget=_datetime())
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["holding_agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies
        offence_field = self.fields["offences"]
        assert isinstance(offence_field, forms.MultipleChoiceField)
        offence_field.choices = offences.choices()


class StepForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Step"), choices=StepKind.choices, widget=_select())
    occurred_on = forms.DateField(label=_("Happened on"), required=False, widget=_date())
    scheduled_for = forms.DateTimeField(
        label=_("Or scheduled for"),
        required=False,
        widget=_datetime(),
        help_text=_("A hearing or another step planned ahead: its date and time."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm: a dismissal closes the proceeding for good."),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == StepKind.DISMISSED and not data.get("confirm"):
            self.add_error("confirm", _("Tick the box to confirm the dismissal."))
        return data


class HandOverForm(VersionedForm):
    to_agency = forms.ModelChoiceField(
        label=_("Hand over to"),
        queryset=Agency.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    to_role = forms.ChoiceField(label=_("Held as"), choices=HoldingRole.choices, widget=_select())
    confirm = forms.BooleanField(
        label=_("I confirm the hand-over: my agency will no longer hold the proceeding."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = justice_agencies()


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=User.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = officers


class UnassignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: this officer will no longer see the proceeding through this assignment."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class PartyForm(forms.Form):
    person = forms.UUIDField(label=_("Person (registry id)"), widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices, widget=_select())
    family_matter = forms.ChoiceField(
        label=_("Family-law matter"), required=False, choices=_blank(FamilyMatter.choices), widget=_select()
    )
    event_on = forms.DateField(
        label=_("Date of the offence or event"),
        widget=_date(),
        help_text=_("Whether the person was a child is decided at this date."),
    )
    case_reference = forms.CharField(
        label=_("Protection case (reference)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class OutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PartyOutcome.choices, widget=_select())
    outcome_on = forms.DateField(label=_("On"), widget=_date())
    sentence_custodial = forms.NullBooleanField(
        label=_("Custodial sentence"),
        required=False,
        widget=forms.Select(
            attrs={"class": "form-select"},
            choices=[("unknown", "—"), ("true", _("Custodial")), ("false", _("Non-custodial"))],
        ),
    )
    sentence_months = forms.IntegerField(
        label=_("Sentence (months)"),
        required=False,
        min_value=1,
        max_value=360,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class CaseLinkForm(VersionedForm):
    case_reference = forms.CharField(
        label=_("Protection case (reference)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Leave empty to unlink."),
    )
