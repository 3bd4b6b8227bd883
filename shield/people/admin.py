"""People in the admin site: read-only, for system support. Nothing is added, changed or deleted
here (the services do that, with their checks and audit), contact details are not shown, and
every list and detail read is audited like any other read of the registry."""

from typing import Any, cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from shield.audit.models import AuditAction
from shield.audit.services import record
from shield.core.access import AccessSubject
from shield.people import selectors
from shield.people.identity_numbers import normalize_number
from shield.people.models import IdentityDocument, Person
from shield.people.names import fold_name

# Shown read-only; the contact details are left out on purpose.
PERSON_FIELDS: tuple[str, ...] = (
    "full_name",
    "family_name",
    "middle_name",
    "given_name",
    "name_folded",
    "sex",
    "birth_date",
    "birth_date_precision",
    "estimated_age",
    "age_estimated_on",
    "birth_year",
    "nationality",
    "ethnicity",
    "languages",
    "home_commune",
    "home_province",
    "disability",
    "owner_agency",
    "registered_by",
    "version",
    "created_at",
    "updated_at",
)

DOCUMENT_FIELDS: tuple[str, ...] = (
    "person",
    "kind",
    "number",
    "number_normalized",
    "issuing_country",
    "issued_on",
    "expires_on",
    "warnings",
    "is_active",
    "created_at",
    "updated_at",
)


class _ReadOnlyAuditedAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _label(self) -> str:
        model = cast(type[Model], self.model)
        return model._meta.label_lower

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            record(action=AuditAction.LIST, actor=request.user, object_type=self._label())
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            record(
                action=AuditAction.VIEW, actor=request.user, object_type=self._label(), object_id=object_id
            )
        return response

    def _visible_persons(self, request: HttpRequest) -> QuerySet[Person]:
        # Superusers see everything; anyone else no more than the registry pages show them.
        if request.user.is_superuser:
            return Person.objects.all()
        return selectors.person_list_for(user=cast(AccessSubject, request.user))


@admin.register(Person)
class PersonAdmin(_ReadOnlyAuditedAdmin):
    list_display = ["full_name", "sex", "birth_year", "home_province", "owner_agency", "created_at"]
    list_filter = ["sex", "birth_date_precision"]
    list_select_related = ["home_province", "owner_agency"]
    search_fields = ["name_folded"]
    show_full_result_count = False
    fields = readonly_fields = PERSON_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return self._visible_persons(request)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        # The stored form is folded, so fold what was typed (`Nguyễn` finds `nguyen`).
        return super().get_search_results(request, queryset, fold_name(search_term))


@admin.register(IdentityDocument)
class IdentityDocumentAdmin(_ReadOnlyAuditedAdmin):
    list_display = ["number", "kind", "issuing_country", "person", "is_active", "warnings"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["person"]
    search_fields = ["number_normalized"]
    show_full_result_count = False
    fields = readonly_fields = DOCUMENT_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[IdentityDocument]:
        documents = IdentityDocument.objects.all()
        if request.user.is_superuser:
            return documents
        return documents.filter(person__in=self._visible_persons(request).values("pk"))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[IdentityDocument], search_term: str
    ) -> tuple[QuerySet[IdentityDocument], bool]:
        return super().get_search_results(request, queryset, normalize_number(search_term))
