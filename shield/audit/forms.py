"""The audit log's filter form: checks what the auditor typed and turns it into EventFilters."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shield.audit.models import AuditAction
from shield.audit.selectors import EventFilters

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Day first as Vietnamese users write dates; ISO too, which is what a browser date picker sends.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label: "StrOrPromise") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"},
        ),
    )


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor's username contains"), required=False, max_length=150)
    agency: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False, empty_label=_("Any agency")
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *AuditAction.choices]
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. accounts.user")}),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=100)
    date_from = _date_field(_("From date"))
    date_to = _date_field(_("To date"))
    search_term = forms.CharField(
        label=_("Searched for"),
        required=False,
        max_length=200,
        help_text=_(
            "Finds searches that included all these words (the log keeps only keyed hashes of them)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    FILTER_NAMES = (
        "actor",
        "agency",
        "action",
        "object_type",
        "object_id",
        "date_from",
        "date_to",
        "search_term",
    )

    def __init__(self, data: Any, *, agencies: QuerySet[Any]) -> None:
        super().__init__(data)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def full_clean(self) -> None:
        super().full_clean()
        # Bootstrap shows a field's message only next to an input marked invalid.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean_object_type(self) -> str:
        # Types are stored as lower-case model labels ("cases.case"); match however they are typed.
        return str(self.cleaned_data["object_type"]).lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> EventFilters:
        """The validated filters; call only after is_valid() returned True."""
        data = self.cleaned_data
        agency = data.get("agency")
        return EventFilters(
            actor=data.get("actor", ""),
            agency_id=agency.pk if agency is not None else None,
            action=data.get("action", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            search_term=data.get("search_term", ""),
        )
