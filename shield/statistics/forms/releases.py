"""Forms of the release pages: the list filter, assembling a release, and the actions on one."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shield.core.forms import QuickSelect, VersionedForm
from shield.statistics import indicators
from shield.statistics.models import ReleaseStatus
from shield.statistics.models.releases import REASON_MAX, TITLE_MAX


class ReleaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ReleaseStatus.choices],
        required=False,
        widget=QuickSelect(attrs={"class": "form-select form-select-sm"}),
    )
    period = forms.CharField(label=_("Period"), max_length=20, required=False)


def table_set_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [(found.code, found.name(language)) for found in indicators.table_set_list()]


class ReleaseCreateForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("A year (2025), a quarter (2025-Q3) or a month (2025-07)."),
    )
    table_set = forms.ChoiceField(label=_("Set of tables"), choices=table_set_choices)
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=TITLE_MAX)
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_MAX)


class ReleaseActionForm(VersionedForm):
    """Submit, approve or recount: only the version the user saw."""


class ReleaseReasonForm(VersionedForm):
    """Return or correct: the version and why."""

    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
