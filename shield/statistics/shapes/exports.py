"""HTCDS exports: requesting one (a background task builds it), building it, reading and
downloading it. Only the person who asked may see or download an export; each download is
audited, and so is the request.
"""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.accounts.policy import has_permission
from shield.audit.models import AuditAction
from shield.audit.services import record
from shield.core.errors import NotFound, PermissionRefused, ValidationFailed
from shield.core.spreadsheets import csv_lines
from shield.geo.models import Province
from shield.statistics.models import ExportStatus, HtcdsExport
from shield.statistics.shapes import htcds, victims

EXPORT_PERMISSION = "statistics.export"
EXPORT_TYPE = "statistics.htcdsexport"
MIN_K, MAX_K = 2, 100
LIST_CAP = 20


def _check_request(year: int, k: int) -> None:
    errors: dict[str, list[str]] = {}
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year:
        errors["year"] = [_("Choose a year from 2000 to %(year)s.") % {"year": this_year}]
    if not MIN_K <= k <= MAX_K:
        errors["k"] = [_("k must be from %(low)s to %(high)s.") % {"low": MIN_K, "high": MAX_K}]
    if errors:
        raise ValidationFailed(field_errors=errors)


@transaction.atomic
def htcds_export_request(*, actor: User, year: int, k: int = htcds.CTDC_K) -> HtcdsExport:
    """Queue the export of `year`'s detected victims (the task row is written in this transaction)."""
    from shield.statistics.shapes.tasks import htcds_export_build

    if not has_permission(actor, EXPORT_PERMISSION):
        raise PermissionRefused()
    _check_request(year, k)
    export = HtcdsExport.objects.create(requested_by=actor, year=year, k=k)
    record(
        action=AuditAction.CREATE, actor=actor, obj=export, details={"year": year, "k": k, "format": "htcds"}
    )
    htcds_export_build.enqueue(str(export.pk))
    # The immediate backend (tests) has already built it by now: hand back what it wrote.
    export.refresh_from_db()
    return export


def require_consent() -> bool:
    """Whether only persons consenting to use in statistics are exported (the default). A
    deployment whose legal basis covers de-identified microdata may set
    SHIELD_HTCDS_REQUIRE_STATISTICS_CONSENT = False."""
    return bool(getattr(settings, "SHIELD_HTCDS_REQUIRE_STATISTICS_CONSENT", True))


def _progress(export_id: Any) -> Any:
    def update(percent: int, step: str) -> None:
        HtcdsExport.objects.filter(pk=export_id).update(progress=min(100, percent), step=step[:100])

    return update


def htcds_export_build(*, export_id: Any) -> HtcdsExport:
    """Build the file (the task's body). Progress is written as it goes; a failure is kept."""
    export = HtcdsExport.objects.get(pk=export_id)
    if export.status != ExportStatus.QUEUED:
        return export
    HtcdsExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=1, step="start")
    progress = _progress(export.pk)
    try:
        facts = victims.facts_for(
            export.year, require_consent=require_consent(), progress=lambda p, s: progress(p // 2, s)
        )
        people = htcds.individuals(facts)
        progress(55, "anonymise")
        names = dict(Province.objects.values_list("code", "name"))
        rows, report = htcds.export(
            people,
            k=export.k,
            province_names=names,
            progress=lambda p: progress(55 + p * 40 // 100, "anonymise"),
        )
        report["person_records"] = len(facts)
        report["consent_required"] = require_consent()
        content = "".join(csv_lines(rows[0], rows[1:])).encode("utf-8")
    except Exception as error:  # kept on the row for the administrators; the page says it failed
        HtcdsExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        raise
    HtcdsExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        progress=100,
        step="done",
        report=report,
        content=content,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def htcds_export_get_for(*, user: Any, export_id: uuid.UUID) -> HtcdsExport:
    """The export, for the person who asked for it (anyone else: not found, as if missing)."""
    if not has_permission(user, EXPORT_PERMISSION):
        raise NotFound()
    try:
        return HtcdsExport.objects.defer("content").get(pk=export_id, requested_by=user)
    except HtcdsExport.DoesNotExist as error:
        raise NotFound() from error


def htcds_export_list_for(*, user: Any) -> list[HtcdsExport]:
    if not has_permission(user, EXPORT_PERMISSION):
        return []
    return list(
        HtcdsExport.objects.defer("content").filter(requested_by=user).order_by("-created_at")[:LIST_CAP]
    )


@transaction.atomic
def htcds_export_download(*, actor: User, export_id: uuid.UUID) -> tuple[HtcdsExport, bytes]:
    """The file, with its audit event (refused until the export is done)."""
    export = htcds_export_get_for(user=actor, export_id=export_id)
    if export.status != ExportStatus.DONE:
        raise NotFound(_("This export has no file yet."))
    content = bytes(HtcdsExport.objects.values_list("content", flat=True).get(pk=export.pk))
    record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=export,
        details={
            "format": "htcds-csv",
            "year": export.year,
            "k": export.k,
            "rows": export.report.get("records_out", 0),
        },
    )
    return export, content


def not_picked_up(export: HtcdsExport, now: datetime.datetime | None = None) -> bool:
    from shield.core.workers import not_picked_up as waited_too_long

    return export.status == ExportStatus.QUEUED and waited_too_long(queued_at=export.created_at, now=now)
