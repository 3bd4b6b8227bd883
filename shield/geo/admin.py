"""Admin for the reference geography. Provinces, communes and former provinces come from the law
(via the package and data migrations), so they are read-only here; border gates are ours to keep
up to date, but never deleted, since screenings and agencies point at them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shield.geo.models import BorderGate, Commune, FormerProvince, Province
from shield.geo.services import border_gate_save


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "division_type", "codename")
    search_fields = ("name", "code", "codename")


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "division_type", "province")
    list_filter = ("province",)
    list_select_related = ("province",)
    search_fields = ("name", "code", "codename")


@admin.register(FormerProvince)
class FormerProvinceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "successor")
    list_select_related = ("successor",)
    search_fields = ("name", "code")


@admin.register(BorderGate)
class BorderGateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "neighbour_country", "is_active")
    list_filter = ("kind", "neighbour_country", "is_active", "province")
    list_select_related = ("province",)
    search_fields = ("code", "name")

    def save_model(self, request: HttpRequest, obj: BorderGate, form: Any, change: bool) -> None:
        border_gate_save(actor=request.user, gate=obj, created=not change, changed_fields=form.changed_data)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
