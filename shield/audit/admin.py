"""Audit events in the admin site: readable, never added, changed or deleted there."""

from typing import Any, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from shield.audit import selectors
from shield.audit.models import AuditAction, AuditEvent
from shield.audit.services import record
from shield.core.access import AccessSubject


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = [
        "sequence",
        "occurred_at",
        "actor_username",
        "agency",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_type", "object_id"]
    list_select_related = ["agency"]
    ordering = ["-sequence"]
    list_per_page = 50
    # Counting every row of a chain of millions on each page load is slow and tells nobody anything.
    show_full_result_count = False
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(selectors.VIEW_PERMISSION) or super().has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        if request.user.is_superuser:
            return super().get_queryset(request).select_related("agency", "actor")
        # The admin reaches no further than the auditor pages do.
        return selectors.event_list_for(user=cast(AccessSubject, request.user)).select_related("actor")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            record(action=AuditAction.LIST, actor=request.user, object_type=AuditEvent._meta.label_lower)
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
                action=AuditAction.VIEW,
                actor=request.user,
                object_type=AuditEvent._meta.label_lower,
                object_id=object_id,
            )
        return response
