"""Form helpers shared by every app: versioned edits and showing service refusals field by field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shield.core.errors import ApplicationError


class VersionedForm(forms.Form):
    """An edit form that carries the version of the record the user opened.

    The service compares it with the stored version, so a second editor is refused with a clear
    message and their input stays in the form (nothing is lost).
    """

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("This form is missing the record's version: reload the page."),
        },
    )


def add_application_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Put a service's refusal on the form: field errors on their fields, the rest on top."""
    placed = False
    for field, messages in error.field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
