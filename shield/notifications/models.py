"""A notification tells one user that something waits for them; settings say how they want to hear.

The text is not stored: it is rendered from `kind` + `params` at display time (`messages.py`), in
the reader's language. `params` holds non-personal values only (a case reference, an agency code,
a count, an outcome code), never a child's name or any narrative.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel


class Kind(models.TextChoices):
    TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")
    TRANSFER_ANSWERED = "transfer_answered", _("Transfer answered")
    CARE_PLAN_SUBMITTED = "care_plan_submitted", _("Care plan waiting for approval")
    CARE_PLAN_ANSWERED = "care_plan_answered", _("Care plan decided")
    CLOSURE_SUBMITTED = "closure_submitted", _("Closure waiting for approval")
    CLOSURE_ANSWERED = "closure_answered", _("Closure decided")
    ACTION_OVERDUE = "action_overdue", _("Action overdue")
    TIP_ASSIGNED = "tip_assigned", _("Tip assigned")
    LINKAGE_PAIRS_WAITING = "linkage_pairs_waiting", _("Possible duplicates waiting")
    SCREENING_REFERRAL = "screening_referral", _("Referral received")
    REFERRAL_RECEIVED = "referral_received", _("Referral to a service received")
    REFERRAL_ANSWERED = "referral_answered", _("Referral to a service answered")
    REFERRAL_NO_ANSWER = "referral_no_answer", _("Referral not answered in time")
    REFERRAL_NO_OUTCOME = "referral_no_outcome", _("Referral without an outcome in time")
    CHILD_DEADLINE_BREACHED = "child_deadline_breached", _("Child's deadline breached")
    RETURNEE_MET_AGAIN = "returnee_met_again", _("Returnee met again")
    FOLLOWUP_OVERDUE = "followup_overdue", _("Reintegration follow-up overdue")


# Kinds raised once per target and recipient, however often the raising code runs (the overdue
# sweep runs every day); the database holds the rule so two sweeps at once cannot both notify.
ONCE_PER_TARGET = (
    Kind.ACTION_OVERDUE,
    Kind.REFERRAL_NO_ANSWER,
    Kind.REFERRAL_NO_OUTCOME,
    Kind.FOLLOWUP_OVERDUE,
)


class Notification(BaseModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The bell counts a user's unread ones; the list reads a user's newest first.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id"],
                condition=Q(kind__in=[k.value for k in ONCE_PER_TARGET]),
                name="notification_once_per_target",
            ),
            models.CheckConstraint(condition=Q(url__startswith="/"), name="notification_local_url"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(BaseModel):
    """How one user wants to hear of their notifications besides the bell."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    email = models.BooleanField(_("also by email"), default=False)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)
