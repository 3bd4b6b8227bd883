"""Shelter beds and stays: beds per shelter service by category (dated), stays, and bed holds.

Occupancy is never typed: it is counted from stays (admitted, not yet discharged) and live holds.
A shelter is a `Service` whose `service_type` is `shelter`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel

USER = settings.AUTH_USER_MODEL
SHELTER_SERVICE_TYPE = "shelter"


class BedCategory(models.TextChoices):
    """HUD HMIS-style dedicated-bed categories; a shelter's total is the sum of them."""

    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    FAMILIES = "families", _("Families")


class DischargeDestination(models.TextChoices):
    FAMILY = "family", _("Home to family")
    COMMUNITY = "community", _("Independent living in the community")
    OTHER_SHELTER = "other_shelter", _("Another shelter")
    HEALTH_FACILITY = "health_facility", _("Health facility")
    FOSTER_CARE = "foster_care", _("Foster or kinship care")
    LEFT = "left", _("Left without notice")
    OTHER = "other", _("Other")


class HoldStatus(models.TextChoices):
    ACTIVE = "active", _("Holding")
    ADMITTED = "admitted", _("Used by an admission")
    CANCELLED = "cancelled", _("Released")


class BedInventory(BaseModel):
    """The beds of a shelter service from `effective_from` on, by category. A later inventory
    supersedes it; rows are never edited (a correction is a new inventory)."""

    service = models.ForeignKey(
        "referrals.Service",
        on_delete=models.PROTECT,
        related_name="bed_inventories",
        verbose_name=_("shelter"),
    )
    effective_from = models.DateField(_("in force from"))
    girls = models.PositiveIntegerField(_("beds for girls"), default=0)
    boys = models.PositiveIntegerField(_("beds for boys"), default=0)
    women = models.PositiveIntegerField(_("beds for women"), default=0)
    men = models.PositiveIntegerField(_("beds for men"), default=0)
    families = models.PositiveIntegerField(_("family places"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-effective_from", "-created_at"]
        verbose_name = _("bed inventory")
        verbose_name_plural = _("bed inventories")
        constraints = [
            models.UniqueConstraint(fields=["service", "effective_from"], name="bed_inventory_one_per_day"),
        ]

    def beds(self, category: str) -> int:
        return int(getattr(self, category))

    @property
    def total(self) -> int:
        return sum(self.beds(c) for c in BedCategory.values)


class ShelterStay(VersionedModel):
    """A person's stay in a shelter, from admission (on an accepted referral) to discharge."""

    service = models.ForeignKey(
        "referrals.Service", on_delete=models.PROTECT, related_name="stays", verbose_name=_("shelter")
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="stays", verbose_name=_("referral")
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="shelter_stays", verbose_name=_("person")
    )
    category = models.CharField(_("bed category"), max_length=10, choices=BedCategory.choices)
    admitted_on = models.DateField(_("admitted on"))
    admitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("admitted by")
    )
    planned_exit_on = models.DateField(_("planned exit"), null=True, blank=True)
    # Set when the admission went beyond the beds of its category: who allowed it and why.
    override_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("capacity overridden by"),
    )
    override_reason = models.CharField(_("reason for going beyond capacity"), max_length=500, blank=True)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharged_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discharged by"),
    )
    discharge_destination = models.CharField(
        _("destination"), max_length=20, choices=DischargeDestination.choices, blank=True
    )
    discharge_reason = EncryptedTextField(_("reason for discharge"), blank=True)

    class Meta:
        ordering = ["-admitted_on", "-created_at"]
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        indexes = [
            # The vacancy board counts open stays per shelter and category.
            models.Index(
                fields=["service", "category"], condition=Q(discharged_on__isnull=True), name="stay_open"
            ),
            models.Index(fields=["service", "admitted_on"], name="stay_service_admitted"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=BedCategory.values), name="stay_category_known"),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("admitted_on")),
                name="stay_discharged_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | ~Q(discharge_destination=""),
                name="stay_discharge_has_destination",
            ),
            models.CheckConstraint(
                condition=Q(override_by__isnull=True) | ~Q(override_reason=""),
                name="stay_override_has_reason",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.discharged_on is None


class BedHold(VersionedModel):
    """A bed of one category kept for a referral until `held_until`; released by the admission, by
    cancelling it, or by its deadline passing (an expired hold simply stops counting)."""

    service = models.ForeignKey(
        "referrals.Service", on_delete=models.PROTECT, related_name="bed_holds", verbose_name=_("shelter")
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="bed_holds", verbose_name=_("referral")
    )
    category = models.CharField(_("bed category"), max_length=10, choices=BedCategory.choices)
    held_until = models.DateTimeField(_("held until"))
    status = models.CharField(
        _("status"), max_length=10, choices=HoldStatus.choices, default=HoldStatus.ACTIVE
    )
    held_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("held by"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=500, blank=True)

    class Meta:
        ordering = ["held_until"]
        verbose_name = _("bed hold")
        verbose_name_plural = _("bed holds")
        indexes = [
            models.Index(
                fields=["service", "category", "held_until"],
                condition=Q(status="active"),
                name="hold_active",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=BedCategory.values), name="hold_category_known"),
            models.CheckConstraint(condition=Q(status__in=HoldStatus.values), name="hold_status_known"),
        ]
