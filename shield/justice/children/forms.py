"""Forms of the children's pages. Every text has a max length; the services check the rules."""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.justice.children import rules
from shield.justice.models import DecidingBody, InterviewKind, InterviewStatus, PlaceType

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
)
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of session"), choices=InterviewKind.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(InterviewStatus.HELD, _("Held")), (InterviewStatus.PLANNED, _("Planned"))],
        initial=InterviewStatus.HELD,
    )
    place_type = forms.ChoiceField(label=_("Place"), choices=PlaceType.choices)
    child_friendly_room = forms.BooleanField(label=_("Child-friendly room"), required=False)
    started_at = forms.DateTimeField(label=_("Start"), widget=DATETIME)
    ended_at = forms.DateTimeField(label=_("End"), widget=DATETIME)
    representative_present = forms.BooleanField(
        label=_("The child's representative was present"), required=False
    )
    social_worker_present = forms.BooleanField(label=_("A social worker was present"), required=False)
    others_present = forms.CharField(label=_("Others present"), max_length=300, required=False)
    recorded = forms.BooleanField(label=_("Recorded"), required=False)
    recording_reference = forms.CharField(label=_("Recording reference"), max_length=200, required=False)
    topics = forms.CharField(
        label=_("Topics covered (one a line)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    justification = forms.CharField(
        label=_("Justification (only to go beyond the child's limits)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("topics", "").splitlines() if line.strip()]


class DiversionForm(forms.Form):
    deciding_body = forms.ChoiceField(label=_("Decided by"), choices=DecidingBody.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    measures = forms.MultipleChoiceField(label=_("Measures"), widget=forms.CheckboxSelectMultiple, choices=())
    supervision_months = forms.IntegerField(label=_("Supervision (months)"), min_value=1, max_value=36)
    supervisor = forms.CharField(label=_("Supervisor"), max_length=200)

    def __init__(self, *args: Any, child_rules: rules.ChildRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["measures"]).choices = [
            (m.code, m.name) for m in rules.measures(child_rules, timezone.localdate())
        ]
        self.fields["decided_on"].initial = timezone.localdate()
        _styled(self)


class DeadlineMetForm(forms.Form):
    key = forms.ChoiceField(
        label=_("Who was told"),
        choices=[("notify_guardian", _("The guardian")), ("notify_social_worker", _("A social worker"))],
    )
    met_at = forms.DateTimeField(label=_("When"), widget=DATETIME)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    compliant = forms.TypedChoiceField(
        label=_("Kept to the measures"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(
        label=_("Report"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class DiversionEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("completed", _("Completed")), ("failed", _("Failed: back to the proceeding"))],
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class InterviewCancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class RuleValueForm(forms.Form):
    rule = forms.ChoiceField(label=_("Figure"), choices=())
    value = forms.IntegerField(label=_("Value"), min_value=0, max_value=100000)
    effective_from = forms.DateField(label=_("In force from"), widget=DATE)
    verified = forms.BooleanField(label=_("Checked against the official text"), required=False)
    reason = forms.CharField(label=_("Reason and source"), max_length=500)

    def __init__(self, *args: Any, child_rules: rules.ChildRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        choices = []
        for name, fields in rules.SETTABLE.items():
            for key in child_rules.keys(name, today):
                for field in fields:
                    choices.append((f"{name}|{key}|{field}", f"{name} · {key} · {field}"))
        cast(forms.ChoiceField, self.fields["rule"]).choices = choices
        self.fields["effective_from"].initial = today
        _styled(self)

    def parts(self) -> tuple[str, str, str]:
        name, key, field = self.cleaned_data["rule"].split("|")
        return name, key, field


def local(value: datetime.datetime) -> datetime.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)
