"""Forms of the intake pages: they check what was typed and hand it to the services.

The screening form is built from the instrument version the screening was taken with: one field
per indicator (`answer_<code>`), so a screening renders the same after a newer version is published.
"""

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from shield.accounts.models import Agency
from shield.core.forms import VersionedForm
from shield.geo import selectors as geo
from shield.geo.models import BorderGate, Commune, Province
from shield.intake.instruments import Definition
from shield.intake.models import (
    Direction,
    Purpose,
    ScreeningStatus,
    TipChannel,
    TipStatus,
    TravelDocumentKind,
    Urgency,
)
from shield.intake.risk import Outcome
from shield.people.forms import DATE_INPUT_FORMATS
from shield.people.models import Sex

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ANSWER_PREFIX = "answer_"
MAX_INSTRUMENT_BYTES = 200_000


def _blank(label: "StrOrPromise", choices: Any) -> list[tuple[str, "StrOrPromise"]]:
    return [("", label), *choices]


def _countries(blank: "StrOrPromise" = "—") -> list[tuple[str, "StrOrPromise"]]:
    return _blank(blank, [(code, name) for code, name in countries])


def _select(**attrs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _set_queryset(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Give a model-choice field its choices when the form is built (they depend on the user)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class ScreeningForm(VersionedForm):
    """The draft as typed. Every field is optional: a draft is saved as it stands."""

    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, widget=_select())
    traveller_name = forms.CharField(
        label=_("Traveller's full name"), required=False, max_length=200, widget=_text(autocomplete="off")
    )
    traveller_sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=_blank("—", Sex.choices), widget=_select()
    )
    traveller_birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={
                "class": "form-control",
                "placeholder": _("dd/mm/yyyy"),
                "inputmode": "numeric",
                "autocomplete": "off",
            },
        ),
    )
    traveller_age = forms.IntegerField(
        label=_("Estimated age (if no date of birth)"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"), required=False, choices=_countries, widget=_select()
    )
    document_kind = forms.ChoiceField(
        label=_("Travel document checked"),
        required=False,
        choices=_blank("—", TravelDocumentKind.choices),
        widget=_select(),
    )
    document_number = forms.CharField(
        label=_("Document number"), required=False, max_length=50, widget=_text(autocomplete="off")
    )
    document_country = forms.ChoiceField(
        label=_("Issuing country"), required=False, choices=_countries, widget=_select()
    )
    destination_country = forms.ChoiceField(
        label=_("Destination country"), required=False, choices=_countries, widget=_select()
    )
    destination_place = forms.CharField(
        label=_("Destination (place, employer)"), required=False, max_length=200, widget=_text()
    )
    purpose = forms.ChoiceField(
        label=_("Stated purpose"), required=False, choices=_blank("—", Purpose.choices), widget=_select()
    )
    recruiter = forms.CharField(
        label=_("Recruiter or agency named"), required=False, max_length=200, widget=_text()
    )
    observations = forms.CharField(
        label=_("Observations"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("Encrypted. What you saw or heard that the indicators do not cover."),
    )

    def __init__(self, *args: Any, definition: Definition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for indicator in definition.indicators():
            name = ANSWER_PREFIX + indicator.code
            if indicator.type == "choice":
                self.fields[name] = forms.ChoiceField(
                    label=indicator.text,
                    required=False,
                    choices=_blank(_("Not asked"), [(o.code, o.text) for o in indicator.options]),
                    help_text=indicator.help_text,
                    widget=_select(),
                )
            else:
                self.fields[name] = forms.BooleanField(
                    label=indicator.text,
                    required=False,
                    help_text=indicator.help_text,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The instrument's sections with the bound fields of their indicators, for the template."""
        return [
            (section, [self[ANSWER_PREFIX + i.code] for i in section.indicators])
            for section in self.definition.sections
        ]

    def draft_data(self) -> dict[str, Any]:
        """The valid fields as the service takes them; a field with an error is left as stored."""
        data = {
            k: v for k, v in self.cleaned_data.items() if k != "version" and not k.startswith(ANSWER_PREFIX)
        }
        data["answers"] = {
            k[len(ANSWER_PREFIX) :]: v
            for k, v in self.cleaned_data.items()
            if k.startswith(ANSWER_PREFIX) and v not in (None, "", False)
        }
        return data

    @staticmethod
    def initial_for(screening: Any) -> dict[str, Any]:
        initial = {
            name: getattr(screening, name)
            for name in (
                "direction",
                "traveller_name",
                "traveller_sex",
                "traveller_birth_date",
                "traveller_age",
                "document_kind",
                "document_number",
                "destination_place",
                "purpose",
                "recruiter",
                "observations",
            )
        }
        for name in ("nationality", "document_country", "destination_country"):
            initial[name] = str(getattr(screening, name) or "")
        initial.update({ANSWER_PREFIX + k: v for k, v in (screening.answers or {}).items()})
        initial["version"] = screening.version
        return initial


class CompletionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    receiving_agency = forms.ModelChoiceField(
        label=_("Receiving agency (for a referral)"),
        queryset=Agency.objects.none(),
        required=False,
        widget=_select(),
    )
    existing_person = forms.ChoiceField(
        label=_("The person in the registry"), required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, agencies: Any, matches: list[tuple[Any, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        _set_queryset(self, "receiving_agency", agencies)
        existing = self.fields["existing_person"]
        assert isinstance(existing, forms.ChoiceField)
        existing.choices = [("", _("Register as a new person")), *((str(p.pk), name) for p, name in matches)]


class ScreeningFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or document number"), required=False, max_length=100, widget=_text(type="search")
    )
    border_gate = forms.ModelChoiceField(
        label=_("Border gate"), queryset=BorderGate.objects.none(), required=False, widget=_select()
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=_blank(_("Any outcome"), Outcome.choices),
        widget=_select(),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("Drafts and completed"), ScreeningStatus.choices),
        widget=_select(),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=_text(placeholder=_("dd/mm/yyyy")),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=_text(placeholder=_("dd/mm/yyyy")),
    )

    def __init__(self, *args: Any, gates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "border_gate", gates)

    def has_filters(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


class InstrumentPublishForm(forms.Form):
    file = forms.FileField(label=_("Instrument file (JSON)"))

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_INSTRUMENT_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise forms.ValidationError(_("The file is not valid JSON.")) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(_("The instrument must be a JSON object."))
        return data


class TipForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=TipChannel.choices, widget=_select())
    received_at = forms.DateTimeField(
        label=_("Received at"),
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M", attrs={"class": "form-control", "placeholder": _("dd/mm/yyyy hh:mm")}
        ),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=_select(),
        help_text=_(
            "Urgent: a person in danger now, or a child on the move. Urgent tips are triaged within the hour."
        ),
    )
    reporter_anonymous = forms.BooleanField(
        label=_("The reporter stays anonymous"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    reporter_name = forms.CharField(
        label=_("Reporter's name"), required=False, max_length=200, widget=_text()
    )
    reporter_contact = forms.CharField(
        label=_("Reporter's contact"),
        required=False,
        max_length=200,
        widget=_text(),
        help_text=_("Encrypted. A phone number, Zalo or e-mail to call back."),
    )
    description = forms.CharField(
        label=_("What was reported"),
        max_length=10000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
        help_text=_("Encrypted."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=_countries, initial="VN", widget=_select())
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        to_field_name="code",
        widget=_select(),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        to_field_name="code",
        widget=_select(),
    )
    people_mentioned = forms.CharField(
        label=_("People mentioned"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        help_text=_("Encrypted. Names, ages and descriptions as the reporter gave them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "province", geo.province_list())
        chosen = self.data.get("province") if self.is_bound else None
        # The communes of the province posted, so a commune chosen from the htmx options validates.
        _set_queryset(
            self,
            "commune",
            Commune.objects.filter(province__code=chosen) if chosen else Commune.objects.none(),
        )
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reporter_anonymous") and (data.get("reporter_name") or data.get("reporter_contact")):
            self.add_error(
                "reporter_anonymous", _("An anonymous reporter leaves no name or contact: clear them.")
            )
        return data


class TipFilterForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("tip", "Reference"), required=False, max_length=40, widget=_text(type="search")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("Any status"), TipStatus.choices),
        widget=_select(),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        required=False,
        choices=_blank(_("Any urgency"), Urgency.choices),
        widget=_select(),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=_blank(_("Any channel"), TipChannel.choices),
        widget=_select(),
    )
    overdue = forms.BooleanField(
        label=_("Overdue only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def has_filters(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


class TipAssignForm(VersionedForm):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), widget=_select())

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "agency", agencies)


class TipLinkForm(VersionedForm):
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    case_reference = forms.CharField(label=_("Case reference"), required=False, max_length=80, widget=_text())


class TipOpenCaseForm(VersionedForm):
    receiving_agency = forms.ModelChoiceField(
        label=_("Receiving agency"), queryset=Agency.objects.none(), widget=_select()
    )
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    full_name = forms.CharField(
        label=_("Full name of the person"), required=False, max_length=200, widget=_text()
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN, widget=_select())

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "receiving_agency", agencies)


class TipCloseForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason for closing"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
