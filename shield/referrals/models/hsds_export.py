"""HSDS exports of the whole directory, built by a background task: who asked, how far it has got,
and the finished data package (kept on the row: only the requester downloads it, audited)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel


class HsdsExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class HsdsExport(BaseModel):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HsdsExportStatus.choices, default=HsdsExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    services = models.PositiveIntegerField(_("services"), default=0)
    organizations = models.PositiveIntegerField(_("organisations"), default=0)
    content = models.BinaryField(_("file"), default=b"", editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("HSDS export")
        verbose_name_plural = _("HSDS exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=HsdsExportStatus.values), name="hsds_export_status_known"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="hsds_export_progress_percent"),
        ]
