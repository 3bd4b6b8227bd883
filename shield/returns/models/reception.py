"""Reception at a border gate: one event (often a group handover), its members, what each was given."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel
from shield.returns.models.returns import ReturnChannel

USER = settings.AUTH_USER_MODEL


class ReceptionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reception", "Open")
    COMPLETED = "completed", pgettext_lazy("reception", "Completed")


class ReceptionEvent(VersionedModel):
    """A handover at a border gate: one or many returnees received in one sitting."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving agency")
    )
    border_gate = models.ForeignKey(
        "geo.BorderGate", on_delete=models.PROTECT, related_name="+", verbose_name=_("border gate")
    )
    country = CountryField(_("handed over by"))
    channel = models.CharField(_("channel"), max_length=20, choices=ReturnChannel.choices)
    foreign_authority = models.CharField(_("handing-over authority"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReceptionStatus.choices, default=ReceptionStatus.OPEN
    )
    # The intake app's group of travellers, so the members' screenings are a group screening.
    screening_group = models.ForeignKey(
        "intake.ScreeningGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening group"),
    )
    receipt_number = models.CharField(_("handover receipt number"), max_length=60, blank=True)
    receipt_signed_at = models.DateTimeField(_("receipt signed at"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")

    def __str__(self) -> str:
        return self.reference


class ReceptionOfficer(models.Model):
    """Who received the group (one or more officers)."""

    event = models.ForeignKey(ReceptionEvent, on_delete=models.PROTECT, related_name="officers")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "officer"], name="reception_officer_once")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.officer_id}"


class Disposition(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    FAMILY = "family", _("Handed to family")
    COMMUNE = "commune", _("Handed to the commune")
    REFERRED = "referred", _("Referred to a service")


class ReceptionMember(VersionedModel):
    """One returnee of a reception: screened, given immediate support, handed on."""

    event = models.ForeignKey(
        ReceptionEvent, on_delete=models.PROTECT, related_name="members", verbose_name=_("reception")
    )
    position = models.PositiveSmallIntegerField(_("number in the group"))
    return_record = models.OneToOneField(
        "returns.Return", on_delete=models.PROTECT, related_name="reception_member", verbose_name=_("return")
    )
    screening = models.ForeignKey(
        "intake.Screening",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening"),
    )
    disposition = models.CharField(
        _("handed on to"), max_length=20, choices=Disposition.choices, default=Disposition.PENDING
    )
    handed_to = EncryptedTextField(_("handed to (who)"), blank=True, max_length=500)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral"),
    )
    # Draft answers saved while the officer types (autosave), before the screening is recorded.
    draft = models.JSONField(_("draft"), default=dict, blank=True)

    class Meta:
        ordering = ["event", "position"]
        verbose_name = _("returnee received")
        verbose_name_plural = _("returnees received")
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="reception_member_position"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}#{self.position}"


class ReceptionSupport(BaseModel):
    """Links a returnee received to the immediate support given at reception (meals, travel home):
    the support itself is the referrals app's `SupportDelivery`, one mechanism for all support."""

    member = models.ForeignKey(
        ReceptionMember,
        on_delete=models.PROTECT,
        related_name="supports",
        verbose_name=_("returnee received"),
    )
    delivery = models.OneToOneField(
        "referrals.SupportDelivery",
        on_delete=models.PROTECT,
        related_name="reception_support",
        verbose_name=_("support delivered"),
    )

    class Meta:
        ordering = ["member", "created_at"]
        verbose_name = _("support at reception")
        verbose_name_plural = _("support at reception")

    def __str__(self) -> str:
        return f"{self.member_id}:{self.delivery_id}"
