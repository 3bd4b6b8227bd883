"""A release: the protected tables of one period, assembled by one statistician, approved by another,
then frozen under a SHA-256 of its content. A correction is a new release naming the one it replaces.

What the frozen record holds, and why: the tables exactly as published (for each cell the printed
value and whether it was suppressed, never a suppressed cell's true value) and the disclosure audit
without the true values (each suppressed cell's interval and the width it had to reach). The
interval is what anyone can work out from the published tables, so it discloses nothing new; the
true value would, and the release is the one place a suppressed value must never be kept.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core import workers
from shield.core.models import VersionedModel

TITLE_MAX = 200
REASON_MAX = 1000


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved (frozen)")


class BuildState(models.TextChoices):
    """Counting and protecting the tables runs as a task (seconds to minutes at national scale)."""

    QUEUED = "queued", _("Waiting for the task worker")
    RUNNING = "running", _("Counting and protecting")
    DONE = "done", _("Assembled")
    FAILED = "failed", _("Assembly failed")


class Release(VersionedModel):
    period = models.CharField(_("period"), max_length=20, db_index=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=TITLE_MAX)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX)
    # A named set of tables (`table_sets.json`), or the tables spelled out in `specs`.
    table_set = models.CharField(_("table set"), max_length=50, blank=True)
    specs = models.JSONField(_("tables"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT
    )
    assembled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assembled by")
    )
    assembled_at = models.DateTimeField(_("assembled at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_reason = models.CharField(_("reason for returning"), max_length=REASON_MAX, blank=True)
    correction_reason = models.CharField(_("reason for the correction"), max_length=REASON_MAX, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("replaces"),
    )
    build_state = models.CharField(
        _("assembly"), max_length=10, choices=BuildState.choices, default=BuildState.QUEUED
    )
    build_progress = models.PositiveSmallIntegerField(_("assembly progress (%)"), default=0)
    build_step = models.CharField(_("assembly step"), max_length=100, blank=True)
    build_error = models.CharField(_("assembly error"), max_length=500, blank=True)
    # Each queued assembly gets a new token; a task whose token is no longer the release's (the
    # draft was recounted again meanwhile) writes nothing.
    build_token = models.UUIDField(_("assembly token"), default=uuid.uuid4)
    content = models.JSONField(_("content"), default=dict)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("statistical release")
        verbose_name_plural = _("statistical releases")
        constraints = [
            # Four eyes: whoever assembled or submitted the tables cannot approve them.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=models.F("assembled_by")) & ~Q(approved_by=models.F("submitted_by"))),
                name="release_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False) & ~Q(content_hash="")),
                name="release_approved_is_signed",
            ),
            models.CheckConstraint(condition=Q(status__in=ReleaseStatus.values), name="release_status_valid"),
            models.CheckConstraint(
                condition=Q(build_progress__lte=100), name="release_build_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(build_state="done"), name="release_submitted_is_assembled"
            ),
            models.CheckConstraint(condition=~Q(replaces=models.F("id")), name="release_not_own_correction"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.title_en}"

    @property
    def is_building(self) -> bool:
        return self.build_state in {BuildState.QUEUED, BuildState.RUNNING}

    @property
    def not_picked_up(self) -> bool:
        return self.build_state == BuildState.QUEUED and workers.not_picked_up(queued_at=self.updated_at)

    @property
    def is_frozen(self) -> bool:
        return self.status == ReleaseStatus.APPROVED

    def title(self, language: str) -> str:
        return self.title_vi if language.startswith("vi") else self.title_en
