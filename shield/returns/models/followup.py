"""Reintegration: a plan, its follow-up schedule, each follow-up's contact and score."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel

USER = settings.AUTH_USER_MODEL


class ReintegrationInstrument(BaseModel):
    """One version of the reintegration scoring instrument, kept as data (`data/instruments/*.json`):
    questions per dimension (economic, social, psychosocial) with weights. Published versions are
    never changed; a follow-up records the version it was scored with."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    definition = models.JSONField(_("definition"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("reintegration instrument")
        verbose_name_plural = _("reintegration instruments")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="reint_instrument_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("plan", "Active")
    COMPLETED = "completed", pgettext_lazy("plan", "Completed")
    CONTACT_LOST = "contact_lost", _("Contact lost (approved)")


class ReintegrationPlan(VersionedModel):
    """A person's reintegration plan, made at return or when services end; its follow-ups are
    generated from the dated schedule rules (`data/followup_schedules.json`, by case type)."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="reintegration_plans",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    return_record = models.ForeignKey(
        "returns.Return",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("return"),
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible agency")
    )
    worker = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible worker")
    )
    schedule_code = models.CharField(_("follow-up schedule"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    goals = EncryptedTextField(_("goals"), blank=True, max_length=4000)
    # Loss of contact: documented by the worker, approved by a supervisor (not the same person).
    contact_lost_reason = EncryptedTextField(_("how contact was lost"), blank=True, max_length=2000)
    contact_lost_requested_at = models.DateTimeField(_("loss of contact reported at"), null=True, blank=True)
    contact_lost_requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reported by")
    )
    contact_lost_approved_at = models.DateTimeField(_("loss of contact approved at"), null=True, blank=True)
    contact_lost_approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        indexes = [models.Index(fields=["person"], name="reint_plan_person")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.CONTACT_LOST) | Q(contact_lost_approved_at__isnull=False),
                name="reint_plan_contact_lost_approved",
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", pgettext_lazy("follow-up", "Done")
    CANCELLED = "cancelled", pgettext_lazy("follow-up", "Cancelled")


class NoContactReason(models.TextChoices):
    UNREACHABLE = "unreachable", _("Could not be reached")
    MOVED = "moved", _("Moved away, address unknown")
    REFUSED = "refused", _("Refused contact")
    MIGRATED_AGAIN = "migrated_again", _("Left the country again")
    OTHER = "other", pgettext_lazy("no contact reason", "Other")


class FollowUp(VersionedModel):
    """One scheduled follow-up and, once done, what it found."""

    plan = models.ForeignKey(
        ReintegrationPlan, on_delete=models.PROTECT, related_name="followups", verbose_name=_("plan")
    )
    sequence = models.PositiveSmallIntegerField(_("number"))
    months_after = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.SCHEDULED
    )
    # Copied from the plan so the worklist reads one table by its index (the plan's worker/agency
    # change through the plan's service, which updates the open follow-ups too).
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("worker"))
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    contact_made = models.BooleanField(_("contact made"), null=True, blank=True)
    no_contact_reason = models.CharField(
        _("why no contact"), max_length=20, choices=NoContactReason.choices, blank=True
    )
    no_contact_note = EncryptedTextField(_("note on the missed contact"), blank=True, max_length=1000)
    lives_in_province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lives in (province)"),
    )
    lives_in_commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lives in (commune)"),
    )
    instrument = models.ForeignKey(
        ReintegrationInstrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instrument"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Scores 0 to 1 (dimension and composite), computed by the instrument's version at recording time.
    score_economic = models.DecimalField(
        _("economic score"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    score_social = models.DecimalField(
        _("social score"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    score_psychosocial = models.DecimalField(
        _("psychosocial score"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    score_composite = models.DecimalField(
        _("composite score"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True, max_length=4000)
    escalated_at = models.DateTimeField(_("escalated to the supervisor at"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "sequence"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            # The worklist: a worker's scheduled follow-ups by due date.
            models.Index(
                fields=["worker", "due_on", "id"],
                name="followup_worker_due",
                condition=Q(status="scheduled"),
            ),
            models.Index(
                fields=["agency", "due_on", "id"],
                name="followup_agency_due",
                condition=Q(status="scheduled"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "sequence"], name="followup_sequence"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(done_on__isnull=False) & Q(contact_made__isnull=False)),
                name="followup_done_has_contact",
            ),
            models.CheckConstraint(
                condition=~Q(contact_made=False) | ~Q(no_contact_reason=""),
                name="followup_no_contact_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.sequence}"
