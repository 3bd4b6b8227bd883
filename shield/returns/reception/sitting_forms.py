"""Forms of the group reception sitting: add a returnee, one card per member, refer, complete.

A member's card is built from the intake instrument the member's screening was started with (one
field per indicator, `answer_<code>`, as intake's screening form), then the outcome and the
disposition. What the officer types is kept as the member's draft (`draft_from`), a flat mapping of
the card's field names to what was typed, checked by `clean_draft` before it is stored.
"""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.core.forms import VersionedForm
from shield.intake.instruments import Definition
from shield.intake.risk import Outcome
from shield.people.models import Sex
from shield.referrals.models import ReferralUrgency, Service
from shield.returns.models import Disposition

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ANSWER_PREFIX = "answer_"
# What a draft may hold: the card's own fields, each value at most this long, at most this many.
DRAFT_VALUE_MAX = 500
DRAFT_KEYS_MAX = 60
DRAFT_FIELDS = ("outcome", "disposition", "handed_to", "province", "commune")
# Dispositions chosen on the card; "referred" is made through the referral form.
CARD_DISPOSITIONS = [
    (Disposition.FAMILY.value, Disposition.FAMILY.label),
    (Disposition.COMMUNE.value, Disposition.COMMUNE.label),
]


def _select(**attrs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


class RegisterForm(forms.Form):
    """A returnee not in the registry, registered now with what is known at the gate."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, widget=_text(autocomplete="off"))
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices], widget=_select()
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )

    def clean_birth_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("birth_year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find in the registry (name, year of birth or document number)"),
        required=False,
        max_length=200,
        widget=_text(type="search", autocomplete="off"),
    )


class AddPersonForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)


def clean_draft(raw: Any, definition: Definition) -> dict[str, Any]:
    """The draft as stored: only the card's fields, strings of at most `DRAFT_VALUE_MAX` characters
    or booleans; anything else is refused (`ValueError`) rather than half kept."""
    if not isinstance(raw, Mapping) or len(raw) > DRAFT_KEYS_MAX:
        raise ValueError("draft")
    known = set(DRAFT_FIELDS) | {ANSWER_PREFIX + i.code for i in definition.indicators()}
    draft: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            continue
        if isinstance(value, bool) or (isinstance(value, str) and len(value) <= DRAFT_VALUE_MAX):
            draft[key] = value
        else:
            raise ValueError(key)
    return draft


def draft_from(data: Mapping[str, Any], definition: Definition) -> dict[str, Any]:
    """A posted card (a QueryDict or a dict) as a draft: the fields given, checkboxes as booleans."""
    draft: dict[str, Any] = {}
    for indicator in definition.indicators():
        name = ANSWER_PREFIX + indicator.code
        if indicator.type == "choice":
            draft[name] = str(data.get(name) or "")[:DRAFT_VALUE_MAX]
        else:
            draft[name] = bool(data.get(name))
    for name in DRAFT_FIELDS:
        if name in data:
            draft[name] = str(data.get(name) or "")[:DRAFT_VALUE_MAX]
    return draft


class MemberCardForm(VersionedForm):
    """One returnee's card: the screening answers and outcome, then to whom they are handed.

    Every field is optional here: the services say what each step needs."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    disposition = forms.ChoiceField(
        label=_("Handed on to"),
        required=False,
        choices=CARD_DISPOSITIONS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    handed_to = forms.CharField(
        label=_("Family member who received them (name, relationship)"),
        required=False,
        max_length=500,
        widget=_text(autocomplete="off"),
    )
    province = forms.ChoiceField(label=_("Province"), required=False, widget=_select())
    commune = forms.ChoiceField(label=_("Commune"), required=False, widget=_select())

    def __init__(
        self,
        *args: Any,
        definition: Definition,
        provinces: Sequence[tuple[str, str]],
        communes: Sequence[tuple[str, str]],
        prefix_id: str = "",
        **kwargs: Any,
    ) -> None:
        if prefix_id:
            kwargs.setdefault("auto_id", f"id_{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.fields["province"].choices = [("", "—"), *provinces]  # type: ignore[attr-defined]
        self.fields["commune"].choices = [("", "—"), *communes]  # type: ignore[attr-defined]
        for indicator in definition.indicators():
            name = ANSWER_PREFIX + indicator.code
            field: forms.Field
            if indicator.type == "choice":
                field = forms.ChoiceField(
                    label=indicator.text,
                    required=False,
                    choices=[("", _("Not asked")), *((o.code, o.text) for o in indicator.options)],
                    widget=_select(),
                )
            else:
                field = forms.BooleanField(
                    label=indicator.text,
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )
            # No help text on the card: forty cards at a gate with a poor connection stay light.
            self.fields[name] = field

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (section, [self[ANSWER_PREFIX + i.code] for i in section.indicators])
            for section in self.definition.sections
        ]

    def answers(self) -> dict[str, Any]:
        return {
            k[len(ANSWER_PREFIX) :]: v
            for k, v in self.cleaned_data.items()
            if k.startswith(ANSWER_PREFIX) and v not in (None, "", False)
        }


class CompleteForm(VersionedForm):
    receipt_number = forms.CharField(
        label=_("Handover receipt number"), required=False, max_length=60, widget=_text()
    )
    receipt_signed = forms.BooleanField(
        label=_("The receipt is signed now"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def _urgency_choices() -> list[tuple[str, "StrOrPromise"]]:
    return list(ReferralUrgency.choices)


class ReferForm(VersionedForm):
    """Refer the returnee to a service of the directory (a shelter, a health service)."""

    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why refer the returnee"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=_urgency_choices, initial=ReferralUrgency.URGENT, widget=_select()
    )
    consent = forms.BooleanField(
        label=_("The returnee consents to being referred"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=[("person", _("The person")), ("guardian", _("A guardian"))],
        initial="person",
        required=False,
        widget=_select(),
    )
    guardian_name = forms.CharField(
        label=_("Guardian's name"), required=False, max_length=200, widget=_text()
    )
    override = forms.BooleanField(
        label=_("Override missing consent (supervisors)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis for sharing without consent"), required=False, max_length=500, widget=_text()
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services
        field.label_from_instance = lambda s: f"{s.name} — {s.provider.name}"  # type: ignore[method-assign,assignment]
