"""Support delivered to a person: what was given, when, by whom, tied to a referral, a care-plan
action, or given at once at first contact (immediate support, e.g. meals and travel home at a
border-gate reception, often before any case exists)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.encryption import EncryptedTextField
from shield.core.models import VersionedModel
from shield.referrals.directory import taxonomy

if TYPE_CHECKING:
    from shield.accounts.models import Agency

USER = settings.AUTH_USER_MODEL


class SupportDelivery(VersionedModel):
    """One delivery of support. Never deleted: a mistaken one is voided with a reason.

    Tied to a referral, to a care-plan action, or `immediate` (given at first contact). Only an
    immediate delivery may lack a case (none may exist yet) and a provider: it records the giving
    `agency` instead, and its provider is that agency's directory entry when the directory has one.
    """

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_deliveries",
        verbose_name=_("case"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="support_deliveries", verbose_name=_("person")
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("referral"),
    )
    care_plan_action = models.ForeignKey(
        "cases.CarePlanAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("care-plan action"),
    )
    provider = models.ForeignKey(
        "referrals.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("provider"),
    )
    # Immediate support at first contact (a reception at a border gate): no referral or action.
    immediate = models.BooleanField(_("immediate support at first contact"), default=False)
    # The agency that gave immediate support (empty for support under a referral or an action).
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("giving agency"),
    )
    # A service-type code of the directory's taxonomy (`data/service_types.json`): one list of types
    # for services, referrals and support delivered.
    support_type = models.CharField(_("type of support"), max_length=40, choices=taxonomy.choices)
    delivered_on = models.DateField(_("delivered on"))
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"), null=True, blank=True)
    # What the regime in force on `delivered_on` suggested (empty: no money regime), and why the
    # amount given differs from it.
    suggested_amount_vnd = models.PositiveBigIntegerField(_("suggested amount (VND)"), null=True, blank=True)
    regime_basis = models.CharField(_("legal basis of the amount"), max_length=300, blank=True)
    deviation_reason = models.CharField(_("reason the amount differs"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("voided by")
    )
    void_reason = EncryptedTextField(_("reason for voiding"), blank=True)

    class Meta:
        ordering = ["-delivered_on", "-created_at"]
        verbose_name = _("support delivered")
        verbose_name_plural = _("support delivered")
        indexes = [models.Index(fields=["case", "delivered_on"], name="delivery_case_day")]
        constraints = [
            models.CheckConstraint(condition=~Q(support_type=""), name="delivery_has_type"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""), name="delivery_void_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(referral__isnull=False) | Q(care_plan_action__isnull=False) | Q(immediate=True),
                name="delivery_tied_to_referral_action_or_immediate",
            ),
            models.CheckConstraint(
                condition=Q(immediate=False)
                | Q(referral__isnull=True, care_plan_action__isnull=True, agency__isnull=False),
                name="delivery_immediate_untied_with_agency",
            ),
            models.CheckConstraint(
                condition=Q(immediate=True) | Q(case__isnull=False, provider__isnull=False),
                name="delivery_case_and_provider_unless_immediate",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_quantity_positive"),
        ]

    @property
    def answering_agency(self) -> "Agency | None":
        """The agency the record belongs to: the case's owning agency, else the giving agency."""
        return self.case.owner_agency if self.case is not None else self.agency
