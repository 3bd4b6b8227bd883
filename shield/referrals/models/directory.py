"""The service directory: providers (Shield agencies or external ones) and the services they offer.

Mirrors Open Referral HSDS 3.1 (organization, service, location, service_area, service_capacity); a
provider without users (a clinic, a vocational school) is `external`: the referring worker records
its answers. A service's address may be `redacted` (HSDS 3.1's location redaction): a shelter's
address shows only to the roles that need it, never in lists, exports or HSDS output.

Lists of codes (sexes, languages, nationalities) are kept as `|a|b|` so that "the service takes
this sex" is one `LIKE '%|female|%'`, the same on SQLite and PostgreSQL; empty means "any".
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.accounts.roles import AgencyKind
from shield.core.models import BaseModel, VersionedModel

USER = settings.AUTH_USER_MODEL


def codes_field(codes: Iterable[str]) -> str:
    """`["vi", "en"]` → `"|en|vi|"` (sorted, unique, blanks dropped); none → `""` (any)."""
    kept = sorted({c.strip() for c in codes if c and c.strip()})
    return f"|{'|'.join(kept)}|" if kept else ""


def codes_of(value: str) -> list[str]:
    return [c for c in value.split("|") if c]


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    CLOSED = "closed", _("Closed")


class VictimStatusEligibility(models.TextChoices):
    ANY = "any", _("Any person referred")
    IDENTIFIED = "identified", _("Identified victims only")
    UNDERGOING = "undergoing", _("Persons undergoing identification only")


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
    kind = models.CharField(_("kind of provider"), max_length=30, choices=AgencyKind.choices, blank=True)
    description = models.CharField(_("description"), max_length=2000, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)

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

    description = models.CharField(_("description"), max_length=2000, blank=True)
    # Eligibility: an empty bound or list means "any".
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sexes = models.CharField(_("sexes served"), max_length=60, blank=True)
    victim_status = models.CharField(
        _("victim status served"),
        max_length=12,
        choices=VictimStatusEligibility.choices,
        default=VictimStatusEligibility.ANY,
    )
    nationalities = models.CharField(_("nationalities served"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    child_friendly = models.BooleanField(_("child-friendly"), default=False)
    schedule = models.CharField(_("opening hours"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), max_length=254, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    # HSDS 3.1 location redaction: the address shows only to roles that need it.
    address_redacted = models.BooleanField(_("address hidden"), default=False)
    # Folded words of the name, provider, type and place (people.names.fold_name): one LIKE per word.
    search_text = models.CharField(max_length=1200, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            models.Index(fields=["status", "province", "service_type"], name="service_directory"),
            models.Index(fields=["updated_at"], name="service_modified"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="service_named"),
            models.CheckConstraint(condition=Q(status__in=ServiceStatus.values), name="service_status_known"),
            models.CheckConstraint(
                condition=Q(capacity_available__isnull=True)
                | Q(capacity_maximum__isnull=True)
                | Q(capacity_available__lte=models.F("capacity_maximum")),
                name="service_capacity_within_maximum",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="service_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(victim_status__in=VictimStatusEligibility.values),
                name="service_victim_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sex_codes(self) -> list[str]:
        return codes_of(self.sexes)

    @property
    def language_codes(self) -> list[str]:
        return codes_of(self.languages)

    @property
    def nationality_codes(self) -> list[str]:
        return codes_of(self.nationalities)


class ServiceArea(BaseModel):
    """A province (and optionally one commune of it) a service serves, as HSDS's service_area."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="areas", verbose_name=_("service")
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )

    class Meta:
        ordering = ["province__code", "commune__code"]
        verbose_name = _("area served")
        verbose_name_plural = _("areas served")
        constraints = [
            models.UniqueConstraint(fields=["service", "province", "commune"], name="service_area_once"),
        ]
