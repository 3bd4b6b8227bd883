"""Forms of the shelter pages: beds, admission, discharge, holds, the vacancy board's filters."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.core.forms import VersionedForm
from shield.geo.models import Province
from shield.referrals.models import BedCategory, DischargeDestination, Referral
from shield.referrals.support.forms import date_field, select, text

BEDS = forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric", "min": 0, "max": 10000})


def _beds(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=10_000, initial=0, widget=BEDS)


class InventoryForm(forms.Form):
    effective_from = date_field(_("In force from"))
    girls = _beds(_("Beds for girls"))
    boys = _beds(_("Beds for boys"))
    women = _beds(_("Beds for women"))
    men = _beds(_("Beds for men"))
    families = _beds(_("Family places"))
    note = text(_("Note"), max_length=500, required=False)


class AdmissionForm(forms.Form):
    referral = forms.ModelChoiceField(
        label=_("Accepted referral"),
        queryset=Referral.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    category = select([("", "—"), *BedCategory.choices], label=_("Bed category"))
    admitted_on = date_field(_("Admitted on"))
    planned_exit_on = date_field(_("Planned exit"), required=False)
    override_reason = text(
        _("Reason to admit beyond capacity (supervisors only)"), max_length=500, required=False, rows=2
    )

    def __init__(self, *args: Any, referrals: Any, labels: dict[Any, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["referral"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = referrals
        field.label_from_instance = lambda r: str(labels.get(r.pk, r.reference))  # type: ignore[method-assign,assignment]
        self.fields["admitted_on"].initial = timezone.localdate()


class DischargeForm(VersionedForm):
    discharged_on = date_field(_("Discharged on"))
    destination = select([("", "—"), *DischargeDestination.choices], label=_("Destination"))
    reason = text(_("Reason"), max_length=2000, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discharged_on"].initial = timezone.localdate()


class HoldForm(forms.Form):
    referral = forms.ModelChoiceField(
        label=_("Referral"),
        queryset=Referral.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    category = select([("", "—"), *BedCategory.choices], label=_("Bed category"))
    days = forms.IntegerField(
        label=_("Hold for (days)"),
        min_value=1,
        max_value=14,
        initial=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, referrals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["referral"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = referrals
        field.label_from_instance = lambda r: str(r.reference)  # type: ignore[method-assign,assignment]


class ReleaseForm(VersionedForm):
    reason = text(_("Why is the bed released?"), max_length=500, required=False)


class VacancyFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        required=False,
        empty_label=_("All provinces"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    category = select(
        [("", _("All categories")), *BedCategory.choices], label=_("Bed category"), required=False
    )
    free_only = forms.BooleanField(
        label=_("Only shelters with a free bed"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
