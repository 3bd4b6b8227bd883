"""Re-victimisation alerts: a person who returned or was reintegrated is met again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import VersionedModel

USER = settings.AUTH_USER_MODEL


class MetAgainSource(models.TextChoices):
    SCREENING = "screening", _("Screened at a border gate")
    TIP = "tip", _("Named in a tip")
    REGISTRATION = "registration", _("Registered again")


class RevictimisationAlert(VersionedModel):
    """The same individual (linkage) met again after a return or reintegration plan.

    The alert names only what the former case owner may know: the source kind, the date and the
    agency's name; the new record itself is reached only through its own app's access rules.
    Raised once per (individual, source record): the database holds the rule. A person that no
    linkage run has placed yet is their own individual: `individual` is empty and the rule holds
    per (returnee's person record, source record) instead.
    """

    individual = models.ForeignKey(
        "linkage.Individual",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("individual"),
    )
    # The returnee's own person record (of the return or plan), which the case owner knows.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("returnee")
    )
    # The earlier record: the return or the plan that makes this a re-victimisation.
    return_record = models.ForeignKey(
        "returns.Return",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("return"),
    )
    plan = models.ForeignKey(
        "returns.ReintegrationPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("reintegration plan"),
    )
    # Whose alert it is: the former case owner (plan's worker, else the return's case worker) and
    # their agency, whose supervisors are told too and whose scope reaches the alert.
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("case owner")
    )
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("case owner's agency")
    )
    source = models.CharField(_("met again by"), max_length=20, choices=MetAgainSource.choices)
    source_id = models.CharField(_("source record"), max_length=64)
    source_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency that met them")
    )
    met_at = models.DateTimeField(_("met at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )

    class Meta:
        ordering = ["-met_at", "-id"]
        verbose_name = _("re-victimisation alert")
        verbose_name_plural = _("re-victimisation alerts")
        indexes = [
            models.Index(fields=["owner_agency", "-met_at", "-id"], name="revict_agency_recent"),
            models.Index(
                fields=["owner", "-met_at", "-id"],
                name="revict_owner_open",
                condition=Q(acknowledged_at__isnull=True),
            ),
            models.Index(fields=["source", "source_id"], name="revict_source"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["individual", "source", "source_id"],
                condition=Q(individual__isnull=False),
                name="revictimisation_once",
            ),
            models.UniqueConstraint(
                fields=["person", "source", "source_id"],
                condition=Q(individual__isnull=True),
                name="revictimisation_once_unlinked",
            ),
            models.CheckConstraint(
                condition=Q(return_record__isnull=False) | Q(plan__isnull=False),
                name="revictimisation_has_earlier_record",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="revictimisation_ack_has_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
