"""Forms of the linkage pages: queue filters, a decision, a merge and its undoing, starting a run."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shield.core.forms import QuickSelect, VersionedForm
from shield.linkage.models import Decision, PairStatus

BAND_CHOICES = [
    ("", _("Any probability")),
    ("high", _("High (90% and above)")),
    ("medium", _("Medium (70 to 90%)")),
    ("low", _("Low (below 70%)")),
]


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *PairStatus.choices],
        required=False,
        widget=QuickSelect(attrs={"class": "form-select form-select-sm"}),
    )
    band = forms.ChoiceField(
        label=_("Probability"),
        choices=BAND_CHOICES,
        required=False,
        widget=QuickSelect(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # The queue opens on the pairs waiting for review; "any status" is an explicit choice.
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = PairStatus.OPEN
        super().__init__(data, **kwargs)

    def filters(self) -> dict[str, Any]:
        return {
            "status": self.cleaned_data.get("status") or None,
            "band": self.cleaned_data.get("band") or None,
        }

    def has_filters(self) -> bool:
        return bool(self.is_bound and self.is_valid() and (self.cleaned_data.get("band")))


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("What convinced you: the document, a photo, a call with the other agency."),
    )


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(
        label=_("Record to keep"), widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        survivor = self.fields["survivor"]
        assert isinstance(survivor, forms.ChoiceField)
        survivor.choices = choices


class UnmergeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for undoing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class RunStartForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the run reads every person in the registry and may take several minutes."),
        required=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
