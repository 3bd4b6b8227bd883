"""The service directory: providers (Shield agencies or external ones) and the services they offer.

Mirrors Open Referral HSDS 3.1 (organization, service, service_capacity); a provider without users
(a clinic, a vocational school) is `external`: the referring worker records its answers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import VersionedModel

USER = settings.AUTH_USER_MODEL


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    CLOSED = "closed", _("Closed")


class Provider(VersionedModel):
    """An organisation offering services: a Shield agency (`agency` set) or an external provider."""

    agency = models.OneToOneField(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider",
        verbose_name=_("Shield agency"),
    )
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="provider_named")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.agency_id is None


class Service(VersionedModel):
    """One service a provider offers. `service_type` is a code of `data/service_types.json`."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="services", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200)
    service_type = models.CharField(_("type of service"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    # Hours the provider has to answer a referral; empty: the default for the referral's urgency.
    response_hours = models.PositiveIntegerField(_("hours to answer a referral"), null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=40, blank=True)
    capacity_available = models.PositiveIntegerField(_("available now"), null=True, blank=True)
    capacity_maximum = models.PositiveIntegerField(_("maximum"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(_("capacity updated at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="service_named"),
            models.CheckConstraint(condition=Q(status__in=ServiceStatus.values), name="service_status_known"),
            models.CheckConstraint(
                condition=Q(capacity_available__isnull=True)
                | Q(capacity_maximum__isnull=True)
                | Q(capacity_available__lte=models.F("capacity_maximum")),
                name="service_capacity_within_maximum",
            ),
        ]

    def __str__(self) -> str:
        return self.name
