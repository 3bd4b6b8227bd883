"""PDF national reports: who asked for which year, how far the task has got, and the PDF.

The PDF (protected tables only) is kept on the row so that only the requester downloads it through
Shield, with an audit event each time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel
from shield.statistics.models.htcds import ExportStatus


class NationalReport(BaseModel):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=10, default="vi")  # the requester's, at request
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    content = models.BinaryField(_("file"), default=b"", editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("national report")
        verbose_name_plural = _("national reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="national_report_status_known"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="national_report_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"National report {self.year} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in {ExportStatus.QUEUED, ExportStatus.RUNNING}
