"""A person's return from abroad and the foreign authority's request to verify who they are."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from shield.core.encryption import EncryptedTextField
from shield.core.models import VersionedModel

USER = settings.AUTH_USER_MODEL


class ReturnHow(models.TextChoices):
    HANDED_OVER = "handed_over", _("Deported or handed over")
    ASSISTED_VOLUNTARY = "assisted_voluntary", _("Assisted voluntary return")
    RESCUED = "rescued", _("Rescued")
    OWN_MEANS = "own_means", _("Returned on their own")


class ReturnChannel(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral agreement")
    COMMIT = "commit", _("COMMIT process")
    CONSULAR = "consular", _("Embassy or consulate")
    BLO = "blo", _("Border Liaison Office")
    OTHER = "other", pgettext_lazy("return channel", "Other")


class ReturnStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", pgettext_lazy("return", "Cancelled")


class Return(VersionedModel):
    """One person's return. Never deleted: a return that did not happen is cancelled with a reason."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="returns", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving agency")
    )
    country = CountryField(_("returned from"))
    how = models.CharField(_("how"), max_length=30, choices=ReturnHow.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=ReturnChannel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.EXPECTED
    )
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    border_gate = models.ForeignKey(
        "geo.BorderGate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("border gate"),
    )
    # The protection case opened for the returnee, if any (a returnee is not always a victim).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    notes = EncryptedTextField(_("notes"), blank=True, max_length=4000)
    cancel_reason = EncryptedTextField(_("reason for cancelling"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        indexes = [
            models.Index(fields=["agency", "-created_at", "-id"], name="return_agency_recent"),
            models.Index(fields=["person"], name="return_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReturnStatus.RECEIVED) | Q(returned_on__isnull=False),
                name="return_received_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class VerificationStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("verification", "Received")
    CHECKED = "checked", _("Identity checked")
    CONFIRMED = "confirmed", _("Confirmed Vietnamese")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    ANSWERED = "answered", _("Answer sent")


class VerificationRequest(VersionedModel):
    """A foreign authority's request to confirm that a person is a Vietnamese citizen.

    received → identity checked against the registry (documents, CCCD, linkage candidates: what was
    checked is kept in `checks`) → confirmed / not confirmed → answer sent. `answer_due_at` comes from
    the dated rules `data/verification_deadlines.json`.
    """

    return_record = models.OneToOneField(
        Return, on_delete=models.PROTECT, related_name="verification", verbose_name=_("return")
    )
    foreign_authority = models.CharField(_("requesting authority"), max_length=200)
    foreign_reference = models.CharField(_("their reference"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(
        _("status"), max_length=20, choices=VerificationStatus.choices, default=VerificationStatus.RECEIVED
    )
    answer_due_at = models.DateTimeField(_("answer due by"), null=True, blank=True)
    checks = models.JSONField(_("what was checked"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("checked by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    # Kept apart from `status`, which moves on to "answer sent": what was decided stays readable.
    confirmed = models.BooleanField(_("confirmed Vietnamese"), null=True, blank=True)
    decision_note = EncryptedTextField(_("basis of the decision"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(_("answer sent at"), null=True, blank=True)
    answer_reference = models.CharField(_("reference of our answer"), max_length=100, blank=True)

    class Meta:
        ordering = ["answer_due_at", "id"]
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        indexes = [models.Index(fields=["status", "answer_due_at"], name="verification_due")]

    def __str__(self) -> str:
        return f"{self.return_record_id}"

    @property
    def decision_label(self) -> str:
        """The decision in words ("Confirmed Vietnamese" / "Not confirmed"), empty before it."""
        if self.confirmed is None:
            return ""
        return str(
            VerificationStatus.CONFIRMED.label if self.confirmed else VerificationStatus.NOT_CONFIRMED.label
        )
