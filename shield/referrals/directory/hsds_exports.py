"""HSDS exports of the whole directory as a background task: requesting one (the task builds the
data package, writing its progress on the row), reading it, downloading it. Only the directory's
keepers ask for one; only the person who asked sees or downloads it; the request and each download
are audited. `hsds_views.directory_export` stays the synchronous build (the bench measures it).
"""

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.audit import record
from shield.audit.models import AuditAction
from shield.core.errors import NotFound, PermissionRefused
from shield.referrals.directory import access, hsds, selectors
from shield.referrals.models import HsdsExport, HsdsExportStatus

EXPORT_TYPE = "referrals.hsdsexport"
LIST_CAP = 20


@transaction.atomic
def hsds_export_request(*, actor: User) -> HsdsExport:
    """Queue an export of the whole directory the actor sees (the row and the task are written in
    this transaction)."""
    from shield.referrals.directory.hsds_tasks import hsds_export_build as build_task

    if not access.manages_directory(actor):
        raise PermissionRefused()
    export = HsdsExport.objects.create(requested_by=actor)
    record(action=AuditAction.CREATE, actor=actor, obj=export, details={"format": "hsds-3.1-tabular"})
    build_task.enqueue(str(export.pk))
    # The immediate backend (tests) has already built it by now: hand back what it wrote.
    export.refresh_from_db(fields=["status", "progress", "step", "services", "organizations", "finished_at"])
    return export


def _progress(export_id: Any, percent: int, step: str) -> None:
    HsdsExport.objects.filter(pk=export_id).update(progress=max(0, min(100, percent)), step=step[:100])


def hsds_export_build(*, export_id: Any) -> HsdsExport:
    """Build the data package (the task's body), as its requester sees the directory. Progress is
    written per table; a failure is kept on the row."""
    export = HsdsExport.objects.select_related("requested_by").defer("content").get(pk=export_id)
    if export.status != HsdsExportStatus.QUEUED:
        return export
    HsdsExport.objects.filter(pk=export.pk).update(status=HsdsExportStatus.RUNNING, progress=1, step="start")
    user = export.requested_by
    try:
        services = selectors.service_search_for(
            user=user, filters=selectors.ServiceFilters(include_closed=True)
        )
        providers = selectors.provider_list_for(user=user)
        counts = {"services": services.count(), "organizations": providers.count()}
        _progress(export.pk, 5, "tables")
        content = hsds.hsds_export(
            services=services,
            providers=providers,
            progress=lambda done, total: _progress(export.pk, 5 + done * 94 // total, "tables"),
        )
    except Exception as error:  # kept on the row for the administrators; the page says it failed
        HsdsExport.objects.filter(pk=export.pk).update(
            status=HsdsExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        raise
    HsdsExport.objects.filter(pk=export.pk).update(
        status=HsdsExportStatus.DONE,
        progress=100,
        step="done",
        content=content,
        finished_at=timezone.now(),
        **counts,
    )
    export.refresh_from_db()
    return export


def hsds_export_get_for(*, user: Any, export_id: uuid.UUID | str) -> HsdsExport:
    """The export, for the keeper who asked for it (anyone else: not found, as if missing)."""
    if not access.manages_directory(user):
        raise NotFound()
    try:
        return HsdsExport.objects.defer("content").get(pk=export_id, requested_by=user)
    except (HsdsExport.DoesNotExist, ValueError) as error:
        raise NotFound() from error


def hsds_export_list_for(*, user: Any) -> list[HsdsExport]:
    if not access.manages_directory(user):
        return []
    return list(
        HsdsExport.objects.defer("content").filter(requested_by=user).order_by("-created_at")[:LIST_CAP]
    )


@transaction.atomic
def hsds_export_download(*, actor: User, export_id: uuid.UUID | str) -> tuple[HsdsExport, bytes]:
    """The data package, with its audit event (not found until the export is done)."""
    export = hsds_export_get_for(user=actor, export_id=export_id)
    if export.status != HsdsExportStatus.DONE:
        raise NotFound(_("This export has no file yet."))
    content = bytes(HsdsExport.objects.values_list("content", flat=True).get(pk=export.pk))
    record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=export,
        details={"format": "hsds-3.1-tabular", "bytes": len(content), "services": export.services},
    )
    return export, content
