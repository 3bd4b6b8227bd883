"""HTCDS record-level exports: who asked, how far the task has got, and the finished file.

The file (de-identified rows only, see `shapes.htcds`) is kept on the row so that only the
requester can download it through Shield, with an audit event each time; no copy sits under MEDIA.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel
from shield.statistics.shapes.kanonymity import CTDC_K


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class HtcdsExport(BaseModel):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    k = models.PositiveSmallIntegerField(_("k (smallest group)"), default=CTDC_K)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    report = models.JSONField(_("anonymisation report"), default=dict, blank=True)
    content = models.BinaryField(_("file"), default=b"", editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("HTCDS export")
        verbose_name_plural = _("HTCDS exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="htcds_export_status_known"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="htcds_export_progress_percent"),
            models.CheckConstraint(condition=Q(k__gte=2), name="htcds_export_k_at_least_2"),
        ]

    def __str__(self) -> str:
        return f"HTCDS {self.year} ({self.status})"
