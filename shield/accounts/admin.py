"""Admin pages for system administrators: agencies, users and memberships. Nothing is deleted
here: agencies and memberships are deactivated, users are disabled."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shield.accounts import services
from shield.accounts.models import Agency, Membership, RoleGrant, User
from shield.core.concurrency import save_versioned
from shield.core.errors import ApplicationError, StaleVersion


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the editor opened, so a second editor cannot overwrite the first."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None:
            current = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("version") != current:
                raise forms.ValidationError(StaleVersion.default_message)
        return cleaned


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            if change and "version" in form.fields:
                fields = [f for f in form.changed_data if f != "version"]
                save_versioned(obj, expected_version=form.cleaned_data["version"], fields=fields)
            else:
                super().save_model(request, obj, form, change)
            services.admin_change_record(
                actor=request.user,  # type: ignore[arg-type]
                obj=obj,
                created=not change,
                changed_fields=form.changed_data,
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    """Shown, never edited here: roles are given through role grants (four eyes for roles that read
    case data) and ended with the membership list's action, so no form can switch one on."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = readonly_fields = ("agency", "role", "scope", "is_active", "ended_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description=_("Reset two-factor sign-in (lost phone)"))
def reset_two_factor(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    for user in queryset:
        services.user_two_factor_reset(
            actor=request.user,  # type: ignore[arg-type]
            user=user,
            reason=gettext("Reset by an administrator from the user list"),
        )
    modeladmin.message_user(request, _("Two-factor sign-in reset: they will enrol again at next sign-in."))


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    inlines = [MembershipInline]
    actions = [reset_two_factor]
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role", "memberships__agency__province"]
    search_fields = ["username", "first_name", "last_name", "email"]
    readonly_fields = ["last_login", "date_joined", "is_superuser", "is_staff"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("first_name", "last_name", "email")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for membership in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
                services.admin_change_record(
                    actor=request.user,  # type: ignore[arg-type]
                    obj=membership,
                    created=membership in formset.new_objects,
                    changed_fields=["agency", "role", "scope", "is_active", "ended_at"],
                )


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    form = VersionedAdminForm
    list_display = ["name_vi", "name_en", "kind", "province", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    search_fields = ["name_vi", "name_en", "code"]
    autocomplete_fields = ["parent"]
    raw_id_fields = ["border_gate"]
    fields = [
        "kind",
        "code",
        "name_vi",
        "name_en",
        "province",
        "parent",
        "border_gate",
        "two_factor_roles",
        "is_active",
        "version",
    ]


@admin.action(description=_("End the selected memberships"))
def end_memberships(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    for membership in queryset.filter(is_active=True):
        services.membership_end(
            actor=request.user,  # type: ignore[arg-type]
            membership=membership,
            reason=gettext("Ended by an administrator from the membership list"),
        )
    modeladmin.message_user(request, _("The selected memberships were ended."))


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    """Read-only: a membership is added by a role grant (approved by a second administrator when the
    role reads case data) and ended by the action, so the admin site cannot hand out access alone."""

    list_display = ["user", "agency", "role", "scope", "is_active"]
    list_filter = ["role", "scope", "is_active", "agency__province"]
    search_fields = ["user__username", "agency__name_vi", "agency__name_en"]
    actions = [end_memberships]
    fields = readonly_fields = ("user", "agency", "role", "scope", "is_active", "ended_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["user", "agency", "role", "scope"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if all(cleaned.get(f) for f in ("user", "agency", "role", "scope")):
            try:
                services.membership_grant_check(
                    user=cleaned["user"],
                    agency=cleaned["agency"],
                    role=cleaned["role"],
                    scope=cleaned["scope"],
                )
            except ApplicationError as exc:
                for field, errors in exc.field_errors.items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Giving a role: through the service, so a role that reads case data waits for a second
    administrator's approval (on the pending grants page) before it becomes a membership."""

    form = RoleGrantForm
    list_display = ["user", "agency", "role", "scope", "status", "requested_by", "decided_by", "created_at"]
    list_filter = ["status", "role", "scope"]
    search_fields = ["user__username", "agency__name_vi", "agency__name_en"]
    autocomplete_fields = ["user", "agency"]
    readonly_fields = ["requested_by", "status", "decided_by", "decided_at", "membership"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:  # a recorded grant is history: nothing on it changes here
            return ["user", "agency", "role", "scope", *self.readonly_fields]
        return self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            grant = services.membership_request(
                actor=request.user,  # type: ignore[arg-type]
                user=obj.user,
                agency=obj.agency,
                role=obj.role,
                scope=obj.scope,
            )
        except ApplicationError as exc:
            raise PermissionDenied(exc.message) from exc
        # The admin goes on to log and redirect to the object it saved: make it the recorded grant.
        for field in RoleGrant._meta.concrete_fields:
            setattr(obj, field.attname, getattr(grant, field.attname))
        obj._state.adding, obj._state.db = False, grant._state.db
