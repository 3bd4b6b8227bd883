"""Forms of the follow-up pages: filter the list, record a follow-up, report / approve a loss of
contact, create a plan and reassign its worker."""

from typing import Any

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shield.core.forms import VersionedForm
from shield.geo.models import Province
from shield.referrals.support.forms import date_field, select
from shield.returns.models import FollowUpStatus, NoContactReason

DUE_CHOICES = [
    ("", pgettext_lazy("due filter", "All")),
    ("soon", _("Due within 7 days or overdue")),
    ("overdue", _("Overdue")),
]


class FollowUpFilterForm(forms.Form):
    mine = forms.BooleanField(
        label=_("Only mine"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    due = select(DUE_CHOICES, label=_("Due"), required=False)
    status = select([("", "—"), *FollowUpStatus.choices], label=_("Status"), required=False)


def _text(label: Any, limit: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class FollowUpRecordForm(VersionedForm):
    """One select per question of the instrument's definition (name `q_<code>`)."""

    done_on = date_field(_("Done on"))
    contact_made = forms.TypedChoiceField(
        label=_("Contact made"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    no_contact_reason = select(
        [("", "—"), *NoContactReason.choices], label=_("Why no contact"), required=False
    )
    no_contact_note = _text(_("Note on the missed contact"), 1000)
    lives_in_province = forms.ModelChoiceField(
        label=_("Lives in (province)"),
        queryset=Province.objects.order_by("name"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    notes = _text(_("Notes"), 4000)

    def __init__(self, *args: Any, definition: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vi = (get_language() or "vi").startswith("vi")
        self.question_fields: list[tuple[str, list[str]]] = []
        for dimension in definition["dimensions"]:
            names = []
            for question in dimension["questions"]:
                name = f"q_{question['code']}"
                text = question["text"]["vi" if vi else "en"]
                options = [(o["code"], o["text"]["vi" if vi else "en"]) for o in question["options"]]
                self.fields[name] = select([("", "—"), *options], label=text, required=False)
                names.append(name)
            self.question_fields.append((dimension["code"], names))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact_made") is False and not data.get("no_contact_reason"):
            self.add_error("no_contact_reason", _("Say why no contact was made."))
        return data

    def answers(self) -> dict[str, str]:
        return {
            name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("q_") and value
        }


class ContactLostForm(VersionedForm):
    reason = forms.CharField(
        label=_("How contact was lost"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class ApproveForm(VersionedForm):
    pass


def _worker_field(workers: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Responsible worker"),
        queryset=workers,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class PlanCreateForm(forms.Form):
    """A new plan for one person (fixed by the link): optional case of theirs, a schedule in force,
    the start day, goals and a worker of the user's agency."""

    person = forms.UUIDField(widget=forms.HiddenInput)
    case: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Case"),
        queryset=None,
        required=False,
        empty_label="—",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    schedule = select([], label=_("Follow-up schedule"))
    starts_on = date_field(_("Starts on"))
    goals = _text(_("Goals"), 4000)

    def __init__(
        self, *args: Any, cases: Any, workers: Any, schedules: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ModelChoiceField)
        case_field.queryset = cases
        schedule_field = self.fields["schedule"]
        assert isinstance(schedule_field, forms.ChoiceField)
        schedule_field.choices = schedules
        self.fields["worker"] = _worker_field(workers)


class PlanReassignForm(VersionedForm):
    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _worker_field(workers)
