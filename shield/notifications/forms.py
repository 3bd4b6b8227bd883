"""The list's filter and the settings form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shield.notifications.models import Kind
from shield.notifications.selectors import NotificationFilters


class NotificationFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[("unread", _("Unread")), ("all", _("All"))],
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Every kind")), *Kind.choices], required=False)

    def filters(self) -> NotificationFilters:
        return NotificationFilters(
            unread=self.cleaned_data.get("show") == "unread", kind=self.cleaned_data.get("kind") or ""
        )


class NotificationSettingsForm(forms.Form):
    email = forms.BooleanField(
        label=_("Also send me each notification by email"),
        required=False,
        help_text=_("The email says only what the bell says, with a link: never a name."),
    )
