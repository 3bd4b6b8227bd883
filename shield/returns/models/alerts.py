"""Re-victimisation alerts: a person who returned or was reintegrated is met again."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel


class MetAgainSource(models.TextChoices):
    SCREENING = "screening", _("Screened at a border gate")
    TIP = "tip", _("Named in a tip")
    REGISTRATION = "registration", _("Registered again")


class RevictimisationAlert(BaseModel):
    """The same individual (linkage) met again after a return or reintegration plan.

    The alert names only what the former case owner may know: the source kind, the date and the
    agency's name; the new record itself is reached only through its own app's access rules.
    Raised once per (individual, source record): the database holds the rule.
    """

    individual = models.ForeignKey(
        "linkage.Individual", on_delete=models.PROTECT, related_name="+", verbose_name=_("individual")
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
    source = models.CharField(_("met again by"), max_length=20, choices=MetAgainSource.choices)
    source_id = models.CharField(_("source record"), max_length=64)
    source_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency that met them")
    )
    met_at = models.DateTimeField(_("met at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User",
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
        constraints = [
            models.UniqueConstraint(
                fields=["individual", "source", "source_id"], name="revictimisation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"
