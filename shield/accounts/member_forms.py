"""Forms for running an agency: invite, give a role, a reason before a destructive step, the members
filter, the invited person's password and an agency's details."""

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from shield.accounts.member_services import AGENCY_ADMIN_REFUSED_ROLES, AGENCY_ADMIN_SCOPES
from shield.accounts.models import Agency
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.core.forms import QuickSelect, VersionedForm
from shield.geo.models import BorderGate, Province

REASON_MAX_LENGTH = 500
_TEXT = {"class": "form-control"}


def _role_choices(system: bool) -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in Role.choices if system or v not in AGENCY_ADMIN_REFUSED_ROLES]


def _scope_choices(system: bool) -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in Scope.choices if system or v in AGENCY_ADMIN_SCOPES]


class RoleForm(forms.Form):
    """The roles and scopes offered are those the administrator may give; anything else sent is
    refused by the form and again by the service."""

    role = forms.ChoiceField(label=_("Role"), widget=forms.Select(attrs={"class": "form-select"}))
    scope = forms.ChoiceField(
        label=_("Scope"), initial=Scope.AGENCY, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, system: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        scope_field = self.fields["scope"]
        assert isinstance(role_field, forms.ChoiceField)
        assert isinstance(scope_field, forms.ChoiceField)
        role_field.choices = _role_choices(system)
        scope_field.choices = _scope_choices(system)
        role_field.error_messages["invalid_choice"] = _("You cannot give this role.")
        scope_field.error_messages["invalid_choice"] = _(
            "An agency administrator gives roles for the agency or the person's own records; "
            "province and national scope are given by a system administrator."
        )


class InviteForm(RoleForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and . @ + - _ only, up to 150 characters; e.g. cw.hanoi2."),
        widget=forms.TextInput(attrs={**_TEXT, "autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Family and middle names"), max_length=150, widget=forms.TextInput(attrs=_TEXT)
    )
    first_name = forms.CharField(label=_("Given name"), max_length=150, widget=forms.TextInput(attrs=_TEXT))
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("The invitation with the link to set a password is sent here."),
        widget=forms.EmailInput(attrs=_TEXT),
    )
    field_order = ["username", "last_name", "first_name", "email", "role", "scope"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 3}),
        error_messages={"required": _("Give a reason: it is kept in the audit log.")},
    )


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or username"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={**_TEXT, "type": "search"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Every role")), *Role.choices],
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Everyone")), ("active", _("Active here")), ("inactive", _("Not active here"))],
        widget=QuickSelect(attrs={"class": "form-select"}),
    )


class InviteAcceptForm(SetPasswordForm):
    """Django's form, so the password validators (length, guessability, reuse) apply as anywhere."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs.update({**_TEXT, "autocomplete": "new-password"})


class AgencyForm(VersionedForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AgencyKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Letters, digits, - and _ only; unique."),
        widget=forms.TextInput(attrs=_TEXT),
    )
    name_vi = forms.CharField(
        label=_("Name (Vietnamese)"), max_length=200, widget=forms.TextInput(attrs=_TEXT)
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, widget=forms.TextInput(attrs=_TEXT))
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent agency"),
        queryset=Agency.objects.order_by("name_vi"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    border_gate = forms.ModelChoiceField(
        label=_("Border gate"),
        queryset=BorderGate.objects.order_by("name"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            # A new agency has no version yet; it starts active.
            del self.fields["version"]
            del self.fields["is_active"]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        province, gate = data["province"], data.get("border_gate")
        return {
            "kind": data["kind"],
            "code": data["code"],
            "name_vi": data["name_vi"],
            "name_en": data["name_en"],
            "province_id": province.pk,
            "parent": data.get("parent"),
            "border_gate_id": gate.pk if gate else None,
            "is_active": data.get("is_active", True),
        }
