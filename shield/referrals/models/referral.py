"""A referral of a case's person to a service or provider, and each step it took (closed loop)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel

USER = settings.AUTH_USER_MODEL


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITLISTED = "waitlisted", _("Waitlisted")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Revoked")


# States a referral ends in; every other state is open.
CLOSED_STATUSES = frozenset(
    {ReferralStatus.DECLINED, ReferralStatus.COMPLETED, ReferralStatus.CANCELLED, ReferralStatus.REVOKED}
)


class ReferralUrgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


class ReferralOutcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    CLIENT_REFUSED = "client_refused", _("Not successful: the client refused")
    LACK_OF_CAPACITY = "lack_of_capacity", _("Not successful: lack of capacity")
    NO_LONGER_NEEDED = "no_longer_needed", _("Not successful: no longer needed")
    UNABLE_TO_CONTACT_CLIENT = "unable_to_contact_client", _("Not successful: unable to contact the client")
    UNABLE_TO_CONTACT_PROVIDER = (
        "unable_to_contact_provider",
        _("Not successful: unable to contact the provider"),
    )
    OTHER = "other", _("Not successful: other")


class Referral(VersionedModel):
    """A case's person referred to a provider (and usually one of its services)."""

    reference = models.CharField(_("reference"), max_length=80, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("person")
    )
    care_plan_action = models.ForeignKey(
        "cases.CarePlanAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("care-plan action"),
    )
    from_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("referring agency"),
    )
    referred_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    provider = models.ForeignKey(
        "referrals.Provider", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("provider")
    )
    service = models.ForeignKey(
        "referrals.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("service"),
    )
    # The provider's agency, copied so "referrals to us" is one indexed filter; empty for external.
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
        verbose_name=_("receiving agency"),
    )
    service_type = models.CharField(_("type of service"), max_length=40)
    reason = EncryptedTextField(_("reason"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=ReferralUrgency.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent at"))
    respond_by = models.DateTimeField(_("answer due by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # Set on acceptance from the dated rules: after it, a referral without an outcome is overdue.
    outcome_due_by = models.DateTimeField(_("outcome due by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=ReferralOutcome.choices, blank=True)
    # The sharing basis: a consent to share with the receiving agency, or a legal basis and a
    # supervisor's override (the same machinery as a case transfer).
    consent = models.ForeignKey(
        "cases.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent relied on"),
    )
    override_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent overridden by"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_agency", "status", "respond_by"], name="referral_inbox"),
            models.Index(fields=["from_agency", "status", "sent_at"], name="referral_outbox"),
            # "Referrals to us" in its order (the oldest deadline first): an index scan that stops
            # after a page instead of sorting an agency's 88,000 referrals (issue 16).
            models.Index(fields=["to_agency", "respond_by", "id"], name="referral_inbox_order"),
            # The inbox's default, the open referrals: one ordered range, not four merged.
            models.Index(
                fields=["to_agency", "respond_by", "id"],
                name="referral_inbox_open",
                condition=Q(status__in=["sent", "waitlisted", "accepted", "in_service"]),
            ),
            # "Our referrals" newest first, whatever the state.
            models.Index(fields=["from_agency", "-sent_at", "-id"], name="referral_outbox_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_known"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=ReferralUrgency.values), name="referral_urgency_known"
            ),
            # The loop closes with an outcome: a completed referral has one, an open one has none.
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.COMPLETED) | ~Q(outcome=""),
                name="referral_completed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=ReferralOutcome.values), name="referral_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.COMPLETED) | Q(outcome=""),
                name="referral_outcome_only_when_completed",
            ),
            # Closed states carry the moment they closed; open ones do not.
            models.CheckConstraint(
                condition=(Q(status__in=sorted(CLOSED_STATUSES)) & Q(closed_at__isnull=False))
                | (~Q(status__in=sorted(CLOSED_STATUSES)) & Q(closed_at__isnull=True)),
                name="referral_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | Q(override_by__isnull=False), name="referral_has_basis"
            ),
            models.CheckConstraint(
                condition=Q(override_by__isnull=True) | ~Q(legal_basis=""),
                name="referral_override_has_legal_basis",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class ReferralStep(BaseModel):
    """One change of a referral's state: who, when, why. The referral's timeline."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="steps", verbose_name=_("referral")
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    # Set when a referring worker records the answer of an external provider on its behalf.
    on_behalf_of_provider = models.BooleanField(_("recorded for the provider"), default=False)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
