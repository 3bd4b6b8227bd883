"""Forms of the reception part's pages: filter and record returns, cancel one, receive and step a
verification request, open and complete a reception."""

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from shield.cases.forms import DATETIME_INPUT_FORMATS
from shield.core.forms import QuickSelect, ShortModelChoiceField, VersionedForm
from shield.geo.models import BorderGate
from shield.referrals.support.forms import date_field, select, text
from shield.returns.models import ReceptionStatus, ReturnChannel, ReturnHow, ReturnStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _countries(blank: "StrOrPromise") -> list[tuple[str, Any]]:
    return [("", blank), *((code, name) for code, name in countries)]


def _gates() -> Any:
    return BorderGate.objects.filter(is_active=True).order_by("name")


def datetime_field(label: "StrOrPromise", *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M",
            attrs={
                "class": "form-control",
                "placeholder": _("dd/mm/yyyy hh:mm"),
                "autocomplete": "off",
            },
        ),
    )


def _not_in_future(value: Any, field: str, form: forms.Form) -> None:
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        if value > timezone.now() + datetime.timedelta(minutes=5):
            form.add_error(field, _("This cannot be in the future."))
    elif value > timezone.localdate():
        form.add_error(field, _("This cannot be in the future."))


class ReturnFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Reference or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("status filter", "All")), *ReturnStatus.choices],
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    country = forms.ChoiceField(
        label=_("Returned from"),
        required=False,
        choices=lambda: _countries(pgettext_lazy("country filter", "All")),
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    border_gate = ShortModelChoiceField(
        label=_("Border gate"),
        required=False,
        queryset=BorderGate.objects.order_by("name"),
        empty_label=pgettext_lazy("border gate filter", "All"),
        widget=QuickSelect(attrs={"class": "form-select"}),
    )


class ReturnForm(forms.Form):
    """A return of the person fixed by the link: received when the return day is given."""

    person = forms.UUIDField(widget=forms.HiddenInput)
    country = select(lambda: _countries("—"), label=_("Returned from"))
    how = select([("", "—"), *ReturnHow.choices], label=_("How"))
    channel = select([("", "—"), *ReturnChannel.choices], label=_("Channel"))
    expected_on = date_field(_("Expected on"), required=False)
    returned_on = date_field(_("Returned on"), required=False)
    border_gate: forms.ModelChoiceField[BorderGate] = forms.ModelChoiceField(
        label=_("Border gate"),
        queryset=_gates(),
        required=False,
        empty_label="—",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    notes = text(_("Notes"), max_length=4000, required=False, rows=3)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_in_future(data.get("returned_on"), "returned_on", self)
        return data


class ReturnCancelForm(VersionedForm):
    reason = text(_("Why is this return cancelled?"), max_length=1000, rows=3)


class VerificationReceiveForm(forms.Form):
    foreign_authority = text(_("Requesting authority"), max_length=200)
    foreign_reference = text(_("Their reference"), max_length=100, required=False)
    received_at = datetime_field(_("Received at"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_in_future(data.get("received_at"), "received_at", self)
        return data


class VerificationCheckForm(VersionedForm):
    """Compare the registry (documents, CCCD, linkage candidates); may be run again."""


class VerificationDecideForm(VersionedForm):
    confirmed = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Confirmed Vietnamese")), ("no", _("Not confirmed"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    basis = text(_("Basis of the decision"), max_length=2000, rows=3)


class VerificationAnswerForm(VersionedForm):
    answer_reference = text(_("Reference of our answer"), max_length=100)


class ReceptionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("status filter", "All")), *ReceptionStatus.choices],
        widget=QuickSelect(attrs={"class": "form-select"}),
    )


class ReceptionOpenForm(forms.Form):
    border_gate: forms.ModelChoiceField[BorderGate] = forms.ModelChoiceField(
        label=_("Border gate"),
        queryset=_gates(),
        empty_label="—",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    country = select(lambda: _countries("—"), label=_("Handed over by"))
    channel = select([("", "—"), *ReturnChannel.choices], label=_("Channel"))
    foreign_authority = text(_("Handing-over authority"), max_length=200, required=False)
    received_at = datetime_field(_("Received at"))

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"] = forms.ModelMultipleChoiceField(
            label=_("Other officers who received the group"),
            queryset=officers,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_in_future(data.get("received_at"), "received_at", self)
        return data


class ReceptionCompleteForm(VersionedForm):
    receipt_number = text(_("Handover receipt number"), max_length=60, required=False)
    receipt_signed_at = datetime_field(_("Receipt signed at"), required=False)
