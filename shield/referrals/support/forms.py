"""Forms of the support pages: record a delivery, void one, filter the list."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.cases.forms import DATE_INPUT_FORMATS
from shield.core.forms import VersionedForm
from shield.referrals.directory import taxonomy
from shield.referrals.models import Provider

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def date_field(label: "StrOrPromise", *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
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


def select(choices: Any, *, label: "StrOrPromise", required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=required, widget=forms.Select(attrs={"class": "form-select"})
    )


def text(label: "StrOrPromise", *, max_length: int, required: bool = True, rows: int = 0) -> forms.CharField:
    widget: forms.Widget = (
        forms.Textarea(attrs={"class": "form-control", "rows": rows, "maxlength": max_length})
        if rows
        else forms.TextInput(attrs={"class": "form-control", "maxlength": max_length})
    )
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget)


class DeliveryForm(forms.Form):
    support_type = select(lambda: [("", "—"), *taxonomy.choices()], label=_("Type of support"))
    delivered_on = date_field(_("Delivered on"))
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=Decimal("0.01"),
        max_value=99_999_999,
        max_digits=10,
        decimal_places=2,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01", "inputmode": "decimal"}),
    )
    unit = text(_("Unit"), max_length=40, required=False)
    amount_vnd = forms.IntegerField(
        label=_("Amount (VND)"),
        required=False,
        min_value=0,
        max_value=10_000_000_000,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        help_text=_("Money only. The amount the regime in force sets is suggested below."),
    )
    deviation_reason = text(
        _("Reason the amount differs from the regime"), max_length=500, required=False, rows=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_on"].initial = timezone.localdate()


class ProviderChoiceForm(forms.Form):
    """For a delivery under a care-plan action: who gave the support (an external provider)."""

    provider: forms.ModelChoiceField[Provider] = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class VoidForm(VersionedForm):
    reason = text(_("Why is this record voided?"), max_length=2000, rows=3)


class DeliveryFilterForm(forms.Form):
    support_type = select(
        lambda: [("", _("All types")), *taxonomy.choices()], label=_("Type of support"), required=False
    )
    delivered_from = date_field(_("From"), required=False)
    delivered_to = date_field(_("To"), required=False)
    include_voided = forms.BooleanField(
        label=_("Include voided records"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
