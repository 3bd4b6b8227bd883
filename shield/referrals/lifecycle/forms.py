"""Forms of the referral pages: the filters of the two lists, the refer form, one form per step."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shield.core.forms import VersionedForm
from shield.referrals.lifecycle.selectors import ReferralFilters
from shield.referrals.lifecycle.services import REASON_MAX
from shield.referrals.models import ReferralOutcome, ReferralStatus, ReferralUrgency, Service

BLANK = [("", _("Any"))]


class ReferralFilterForm(forms.Form):
    FILTER_NAMES = ("status", "overdue", "urgency", "service_type", "q", "state")
    OPEN, ALL = "open", "all"

    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(OPEN, _("Open referrals")), (ALL, _("All states"))],
        initial=OPEN,
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=BLANK + ReferralStatus.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False, choices=BLANK + ReferralUrgency.choices)
    service_type = forms.CharField(label=_("Type of service"), required=False, max_length=40)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Reference"), required=False, max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = (
                "form-check-input"
                if name == "overdue"
                else "form-select"
                if isinstance(field, forms.ChoiceField)
                else "form-control"
            )
            field.widget.attrs.setdefault("class", css)

    def has_filters(self) -> bool:
        # The state is no filter: the list opens on the open referrals either way.
        return any(self.data.get(name) for name in self.FILTER_NAMES if name != "state")

    def filters(self) -> ReferralFilters:
        data = self.cleaned_data
        return ReferralFilters(
            statuses=(data["status"],) if data.get("status") else (),
            overdue=bool(data.get("overdue")),
            urgency=data.get("urgency") or "",
            service_type=data.get("service_type") or "",
            q=data.get("q") or "",
            # Open referrals unless "all states" or one status is asked for.
            open_only=not data.get("status") and data.get("state") != self.ALL,
        )


# The refer form's service search (words of a service's name, provider, place).
SEARCH_MAX = 200


class ReferralSendForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    reason = forms.CharField(
        label=_("Why refer the person"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=ReferralUrgency.choices, initial=ReferralUrgency.ROUTINE
    )
    care_plan_action = forms.UUIDField(required=False, widget=forms.HiddenInput)
    override = forms.BooleanField(
        label=_("Override missing consent (supervisors)"),
        required=False,
        help_text=_("Only when the person has not consented and the law allows sharing without consent."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis for sharing without consent"), required=False, max_length=500
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["service"].label_from_instance = lambda s: f"{s.name} — {s.provider.name}"  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            css = (
                "form-check-input"
                if name == "override"
                else "form-select"
                if isinstance(field, forms.ChoiceField)
                else "form-control"
            )
            field.widget.attrs.setdefault("class", css)


class StepForm(VersionedForm):
    """One step of a referral: a note (a reason where the step needs one) and the version read."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, reason_required: bool = False, confirm: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if confirm:
            self.fields["confirm"] = forms.BooleanField(
                label=_("Yes, end this referral. This cannot be undone."),
                error_messages={"required": _("Tick the box to confirm.")},
            )
            self.fields["confirm"].widget.attrs["class"] = "form-check-input"
        if reason_required:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason")
        self.fields["note"].widget.attrs.setdefault("class", "form-control")


class CompleteForm(StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *ReferralOutcome.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs.setdefault("class", "form-select")
