"""Forms of the person registry's pages: they check what was typed and hand it to the services.

Domain rules (which precision needs which fields, valid codes, duplicates of a document) stay in
`shield.people.services`; a service's refusal is put back on these forms field by field with
`shield.core.forms.add_application_error`.
"""

import datetime
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxValueValidator
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shield.core.forms import ShortModelChoiceField, VersionedForm
from shield.geo import selectors as geo
from shield.geo.models import Commune, Province
from shield.people.ethnicities import ethnicity_choices
from shield.people.models import (
    AliasKind,
    BirthDatePrecision,
    DocumentKind,
    Person,
    RelationshipKind,
    Sex,
)
from shield.people.names import parse_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Day first as Vietnamese users write dates; ISO too, which is what a browser date picker sends.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
NAME_PARTS = ("family_name", "middle_name", "given_name")
_LANGUAGE_SEPARATORS = re.compile(r"[\s,;/]+")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")

# How much of a date each precision needs typed: a year is enough for "year only".
_DETAIL_NEEDED: dict[str, int] = {
    BirthDatePrecision.DAY: 3,
    BirthDatePrecision.MONTH: 2,
    BirthDatePrecision.YEAR: 1,
}


def _date_field(label: "StrOrPromise", **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"},
        ),
        **kwargs,
    )


def _country_choices(blank: "StrOrPromise") -> list[tuple[str, "StrOrPromise"]]:
    return [("", blank), *((code, name) for code, name in countries)]


def parse_birth_text(text: str) -> tuple[datetime.date, int] | None:
    """`14/03/2010` → (date, 3), `03/2010` → (1 March, 2), `2010` → (1 January, 1); None if it is
    none of these or not a real date. The number says how much of the date was typed."""
    text = text.strip()
    try:
        if match := _DAY_MONTH_YEAR.match(text):
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day), 3
        if match := _ISO_DATE.match(text):
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day), 3
        if match := _MONTH_YEAR.match(text):
            month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, 1), 2
        if match := _YEAR.match(text):
            return datetime.date(int(match.group(1)), 1, 1), 1
    except ValueError:
        return None
    return None


def birth_text(person: Person) -> str:
    """The stored date of birth written as its precision allows (for an edit form's initial)."""
    if person.birth_date is None or person.birth_date_precision in (
        BirthDatePrecision.ESTIMATED_AGE,
        BirthDatePrecision.UNKNOWN,
    ):
        return ""
    if person.birth_date_precision == BirthDatePrecision.YEAR:
        return person.birth_date.strftime("%Y")
    if person.birth_date_precision == BirthDatePrecision.MONTH:
        return person.birth_date.strftime("%m/%Y")
    return person.birth_date.strftime("%d/%m/%Y")


def data_with_parsed_name(data: QueryDict) -> QueryDict:
    """The submitted data with the name parts filled from the parse when the user left them
    empty, so a page re-shown without JavaScript shows how the name was read."""
    data = data.copy()
    if not any(str(data.get(part, "")).strip() for part in NAME_PARTS):
        full_name = str(data.get("full_name", ""))
        parsed = parse_name(full_name)
        data["family_name"], data["middle_name"], data["given_name"] = parsed
        data["parsed_from"] = full_name
    return data


class _BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on the fields with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.RadioSelect | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class PersonSearchForm(_BootstrapForm):
    FILTER_NAMES = ("q", "province", "birth_year")

    q = forms.CharField(
        label=_("Name or document number"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("e.g. nguyen thi hoa, hoa 1995, 001195012345"),
                "autocomplete": "off",
            }
        ),
    )
    province: "forms.ModelChoiceField[Province]" = ShortModelChoiceField(
        label=_("Home province"),
        queryset=Province.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any province"),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"placeholder": _("e.g. 1995"), "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ModelChoiceField)
        province.queryset = geo.province_list()
        year = self.fields["birth_year"]
        assert isinstance(year, forms.IntegerField)
        this_year = timezone.localdate().year
        year.validators.append(MaxValueValidator(this_year))
        year.widget.attrs["max"] = this_year

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `selectors.person_list_for`; call after is_valid()."""
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "province": data.get("province"),
            "birth_year": data.get("birth_year"),
        }

    def has_filters(self) -> bool:
        return bool(self.is_bound and any(self.data.get(name) for name in self.FILTER_NAMES))


class PersonFieldsForm(_BootstrapForm):
    """What a user types about a person; `service_values()` gives the services' keyword arguments."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As written on a paper or as told, in any order: the parts are worked out below."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=100)
    middle_name = forms.CharField(label=_("Middle name"), required=False, max_length=100)
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    # The full name the shown parts were read from: parts the user did not correct are read again
    # from the name as finally typed.
    parsed_from = forms.CharField(required=False, widget=forms.HiddenInput)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date_precision = forms.ChoiceField(
        label=_("Date of birth known to"),
        choices=BirthDatePrecision.choices,
        initial=BirthDatePrecision.DAY,
    )
    birth_date = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        help_text=_("dd/mm/yyyy; mm/yyyy when only the month is known; yyyy for the year only."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age (years)"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    age_estimated_on = _date_field(
        _("Age estimated on"), help_text=_("Leave empty if the age was estimated today.")
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, initial="VN")
    ethnicity = forms.ChoiceField(label=_("Ethnic group"), required=False)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("ISO 639 codes separated by commas, such as vi, hmn, km."),
    )
    home_province: "forms.ModelChoiceField[Province]" = forms.ModelChoiceField(
        label=_("Home province"),
        queryset=Province.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Not known"),
    )
    home_commune: "forms.ModelChoiceField[Commune]" = forms.ModelChoiceField(
        label=_("Home commune"),
        queryset=Commune.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Not known"),
    )
    contact = forms.CharField(
        label=_("Contact details"),
        max_length=2000,
        required=False,
        help_text=_("Stored encrypted; shown only to people who may register people."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    disability = forms.CharField(
        label=_("Disability"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nationality = self.fields["nationality"]
        assert isinstance(nationality, forms.ChoiceField)
        nationality.choices = _country_choices(_("Not known"))
        ethnicity = self.fields["ethnicity"]
        assert isinstance(ethnicity, forms.ChoiceField)
        ethnicity.choices = [("", _("Not recorded")), *ethnicity_choices()]
        province_field = self.fields["home_province"]
        assert isinstance(province_field, forms.ModelChoiceField)
        province_field.queryset = geo.province_list()
        commune_field = self.fields["home_commune"]
        assert isinstance(commune_field, forms.ModelChoiceField)
        province = self._chosen_province()
        commune_field.queryset = geo.commune_list(province=province) if province else Commune.objects.none()
        # htmx: the name parts follow the full name as it is typed, the communes the province.
        self.fields["full_name"].widget.attrs.update(
            {
                "hx-get": reverse("people:parse_name"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#name-parts",
                "hx-swap": "outerHTML",
                "hx-sync": "this:replace",
            }
        )
        province_field.widget.attrs.update(
            {
                "hx-get": reverse("people:commune_options"),
                "hx-trigger": "change",
                "hx-target": "#id_home_commune",
                "hx-swap": "innerHTML",
            }
        )

    def _chosen_province(self) -> Province | None:
        code = self.data.get("home_province") if self.is_bound else None
        if not self.is_bound:
            initial = self.initial.get("home_province")
            code = initial.code if isinstance(initial, Province) else initial
        if not code:
            return None
        return geo.province_list().filter(code=str(code)).first()

    def clean_languages(self) -> list[str]:
        text = str(self.cleaned_data.get("languages") or "")
        return [word for word in _LANGUAGE_SEPARATORS.split(text) if word]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        precision = str(cleaned.get("birth_date_precision") or "")
        text = str(cleaned.get("birth_date") or "").strip()
        cleaned["birth_date"] = None
        if text:
            parsed = parse_birth_text(text)
            if parsed is None:
                self.add_error("birth_date", _("Write the date as dd/mm/yyyy, mm/yyyy or yyyy."))
            else:
                date, detail = parsed
                if detail < _DETAIL_NEEDED.get(precision, 0):
                    self.add_error(
                        "birth_date",
                        _("This precision needs more of the date: %(format)s.")
                        % {
                            "format": _("dd/mm/yyyy") if precision == BirthDatePrecision.DAY else _("mm/yyyy")
                        },
                    )
                else:
                    cleaned["birth_date"] = date
        return cleaned

    def name_parts(self) -> dict[str, str | None]:
        """The name parts to store: None lets the service parse the full name again.

        Parts the user left as parsed (or empty) are parsed again from the full name as submitted;
        once the user corrected any part, all three are kept as typed.
        """
        data = self.cleaned_data
        typed = tuple(str(data.get(part) or "").strip() for part in NAME_PARTS)
        untouched = typed == tuple(parse_name(str(data.get("parsed_from") or "")))
        if not any(typed) or untouched:
            return dict.fromkeys(NAME_PARTS)
        return dict(zip(NAME_PARTS, typed, strict=True))

    def service_values(self) -> dict[str, Any]:
        """Keyword arguments for `person_register` / `person_update`; call after is_valid()."""
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            **self.name_parts(),
            "sex": data["sex"],
            "birth_date": data.get("birth_date"),
            "birth_date_precision": data["birth_date_precision"],
            "estimated_age": data.get("estimated_age"),
            "age_estimated_on": data.get("age_estimated_on"),
            "nationality": data.get("nationality") or "",
            "ethnicity": data.get("ethnicity") or "",
            "languages": data.get("languages") or [],
            "home_province": data.get("home_province"),
            "home_commune": data.get("home_commune"),
            "contact": data.get("contact") or "",
            "disability": data.get("disability") or "",
        }


class PersonRegisterForm(PersonFieldsForm):
    # What the user saw when they confirmed "this is a new person" (see views._candidates_key).
    seen_candidates = forms.CharField(required=False, widget=forms.HiddenInput)


class PersonEditForm(PersonFieldsForm, VersionedForm):
    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {
            "full_name": person.full_name,
            "family_name": person.family_name,
            "middle_name": person.middle_name,
            "given_name": person.given_name,
            "parsed_from": person.full_name,
            "sex": person.sex,
            "birth_date_precision": person.birth_date_precision,
            "birth_date": birth_text(person),
            "estimated_age": person.estimated_age,
            "age_estimated_on": person.age_estimated_on,
            "nationality": str(person.nationality or ""),
            "ethnicity": person.ethnicity,
            "languages": ", ".join(person.languages or []),
            "home_province": person.home_province,
            "home_commune": person.home_commune,
            "contact": person.contact,
            "disability": person.disability,
            "version": person.version,
        }


class DocumentForm(_BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    number = forms.CharField(
        label=_("Number"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    issuing_country = forms.ChoiceField(label=_("Issuing country"), initial="VN")
    issued_on = _date_field(_("Issued on"))
    expires_on = _date_field(_("Expires on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "document_%s")  # the detail page holds several small forms
        super().__init__(*args, **kwargs)
        country = self.fields["issuing_country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = _country_choices(_("Choose a country"))


class DocumentFixForm(DocumentForm):
    """Correct a document entered wrongly (a new entry replaces it) or mark it entered in error."""

    CORRECT, IN_ERROR = "correct", "entered_in_error"
    action = forms.ChoiceField(
        label=_("What is wrong"),
        choices=[
            (CORRECT, _("A detail was entered wrongly: correct it")),
            (IN_ERROR, _("The document should never have been recorded: entered in error")),
        ],
        widget=forms.RadioSelect,
        initial=CORRECT,
    )
    reason = forms.CharField(label=_("Why"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, document_id: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"fix_{document_id}_%s")
        super().__init__(*args, **kwargs)
        # Marking in error needs no new details; the correction checks them in clean().
        for name in ("kind", "number", "issuing_country"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == self.CORRECT:
            for name in ("kind", "number", "issuing_country"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        return data


class AliasForm(_BootstrapForm):
    name = forms.CharField(label=_("Other name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of name"), choices=AliasKind.choices, initial=AliasKind.NICKNAME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "alias_%s")
        super().__init__(*args, **kwargs)


class RelationshipForm(_BootstrapForm):
    kind = forms.ChoiceField(label=_("Relationship"), choices=RelationshipKind.choices)
    related_q = forms.CharField(
        label=_("Find them in the registry"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    related_person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    related_name = forms.CharField(
        label=_("Or their name, if they are not registered"), required=False, max_length=200
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "relationship_%s")
        super().__init__(*args, **kwargs)
        self.fields["related_q"].widget.attrs.update(
            {
                "hx-get": reverse("people:related_person_options", args=[person.pk]),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#related-person-options",
                "hx-swap": "outerHTML",
            }
        )
