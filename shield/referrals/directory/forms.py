"""Forms of the directory pages: the search filters, a provider, a service, capacity, status."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import Agency
from shield.accounts.roles import AgencyKind
from shield.cases.forms import CaseVersionedForm
from shield.cases.forms import Form as StyledForm
from shield.core.forms import VersionedForm
from shield.geo.models import Commune, Province
from shield.people.models import Sex
from shield.referrals.directory import taxonomy
from shield.referrals.directory.selectors import ServiceFilters
from shield.referrals.models import ServiceStatus, VictimStatusEligibility

LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("zh", _("Chinese")),
    ("km", _("Khmer")),
    ("lo", _("Lao")),
    ("th", _("Thai")),
    ("hmn", _("Hmong")),
    ("ko", _("Korean")),
    ("ja", _("Japanese")),
    ("ms", _("Malay")),
]
LANGUAGE_LABELS = dict(LANGUAGES)
SEXES = [
    (Sex.FEMALE.value, Sex.FEMALE.label),
    (Sex.MALE.value, Sex.MALE.label),
    (Sex.OTHER.value, Sex.OTHER.label),
]


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class ServiceSearchForm(StyledForm):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        required=False,
        empty_label=_("All provinces"),
    )
    service_type = forms.ChoiceField(label=_("Type of service"), required=False)
    age = forms.IntegerField(label=_("Age of the person"), required=False, min_value=0, max_value=120)
    sex = forms.ChoiceField(label=_("Sex of the person"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    child_friendly = forms.BooleanField(label=_("Child-friendly"), required=False)
    has_capacity = forms.BooleanField(label=_("Has capacity now"), required=False)
    include_closed = forms.BooleanField(label=_("Include closed services"), required=False)

    FILTER_NAMES = (
        "q",
        "province",
        "service_type",
        "age",
        "sex",
        "language",
        "child_friendly",
        "has_capacity",
        "include_closed",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["service_type"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = _blank(_("All types")) + taxonomy.choices()
        sex = self.fields["sex"]
        assert isinstance(sex, forms.ChoiceField)
        sex.choices = _blank(_("Any")) + SEXES
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = _blank(_("Any")) + LANGUAGES

    def has_filters(self) -> bool:
        return any(self.data.get(name) for name in self.FILTER_NAMES)

    def filters(self) -> ServiceFilters:
        data = self.cleaned_data
        province = data.get("province")
        return ServiceFilters(
            q=data.get("q") or "",
            province=province.pk if province else None,
            service_type=data.get("service_type") or "",
            age=data.get("age"),
            sex=data.get("sex") or "",
            language=data.get("language") or "",
            child_friendly=bool(data.get("child_friendly")),
            has_capacity=bool(data.get("has_capacity")),
            include_closed=bool(data.get("include_closed")),
        )


class ProviderForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.order_by("name"))
    kind = forms.ChoiceField(
        label=_("Kind of provider"), choices=_blank("—") + list(AgencyKind.choices), required=False
    )
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    website = forms.URLField(label=_("Website"), max_length=300, required=False, assume_scheme="https")


class ProviderCreateForm(ProviderForm):
    agency = forms.ModelChoiceField(
        label=_("Shield agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("None: an external provider"),
        help_text=_("An external provider has no users: referring workers record its answers."),
    )

    def __init__(self, *args: Any, agencies: Any, allow_external: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
        field.required = not allow_external

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "agency"}


class ProviderEditForm(ProviderForm):
    version = VersionedForm.base_fields["version"]
    is_active = forms.BooleanField(label=_("Active (shown in the directory)"), required=False)

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ServiceForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    service_type = forms.ChoiceField(label=_("Type of service"))
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.order_by("name"))
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    response_hours = forms.IntegerField(
        label=_("Hours to answer a referral"),
        required=False,
        min_value=1,
        max_value=24 * 30,
        help_text=_("Empty: the default for the referral's urgency."),
    )
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    sexes = forms.MultipleChoiceField(
        label=_("Sexes served"),
        required=False,
        choices=SEXES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any."),
    )
    victim_status = forms.ChoiceField(
        label=_("Victim status served"), choices=VictimStatusEligibility.choices
    )
    nationalities = forms.CharField(
        label=_("Nationalities served"),
        max_length=300,
        required=False,
        help_text=_("Two-letter country codes separated by commas (VN, KH, LA); empty: any."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    child_friendly = forms.BooleanField(label=_("Child-friendly"), required=False)
    areas = forms.ModelMultipleChoiceField(
        label=_("Other provinces served"),
        queryset=Province.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    schedule = forms.CharField(label=_("Opening hours"), max_length=500, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), max_length=254, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none(), required=False)
    address_redacted = forms.BooleanField(
        label=_("Hide the address"),
        required=False,
        help_text=_(
            "Shown only to the provider's staff, supervisors and directory keepers. "
            "Always hidden for shelters."
        ),
    )
    capacity_unit = forms.CharField(
        label=_("Capacity unit"),
        max_length=40,
        required=False,
        help_text=_("For example: beds, places, sessions a week."),
    )
    capacity_maximum = forms.IntegerField(
        label=_("Maximum capacity"), required=False, min_value=0, max_value=100_000
    )

    AREA_FIELDS = ("areas",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["service_type"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = taxonomy.choices()
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        province_id = self.data.get("province") or self.initial.get("province")
        if province_id:
            province_pk = str(getattr(province_id, "pk", province_id))
            commune.queryset = Commune.objects.filter(province_id=province_pk).order_by("name")

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "areas")}

    def areas_served(self) -> list[tuple[Province, Commune | None]]:
        return [(p, None) for p in self.cleaned_data.get("areas") or []]


class ServiceEditForm(ServiceForm):
    version = VersionedForm.base_fields["version"]


class CapacityForm(CaseVersionedForm):
    capacity_available = forms.IntegerField(label=_("Available now"), min_value=0, max_value=100_000)
    capacity_maximum = forms.IntegerField(label=_("Maximum"), required=False, min_value=0, max_value=100_000)


class StatusForm(CaseVersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ImportForm(StyledForm):
    datapackage = forms.FileField(
        label=_("HSDS datapackage (zip)"), help_text=_("A zip of HSDS 3.1 JSON or CSV files, at most 5 MB.")
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
