"""Forms of the alert pages: filter the list, acknowledge one."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shield.core.forms import VersionedForm
from shield.referrals.support.forms import date_field, select
from shield.returns.models import MetAgainSource

ACKNOWLEDGED_CHOICES = [
    ("", pgettext_lazy("acknowledged filter", "All")),
    ("no", _("Not acknowledged")),
    ("yes", _("Acknowledged")),
]


class AlertFilterForm(forms.Form):
    mine = forms.BooleanField(
        label=_("Only mine"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    acknowledged = select(ACKNOWLEDGED_CHOICES, label=_("Acknowledged"), required=False)
    source = select([("", "—"), *MetAgainSource.choices], label=_("Met again by"), required=False)
    met_from = date_field(_("Met from"), required=False)
    met_to = date_field(_("Met until"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("met_from"), data.get("met_to")
        if start and end and start > end:
            self.add_error("met_to", _("The end date is before the start date."))
        return data


class AcknowledgeForm(VersionedForm):
    pass
