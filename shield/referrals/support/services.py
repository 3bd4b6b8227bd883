"""Recording support delivered (with the regime's amount suggested) and voiding a mistaken record."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases import selectors as case_selectors
from shield.cases.models import CarePlanAction, Case
from shield.cases.services.access import check_version
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, ValidationFailed
from shield.people.models import Person
from shield.referrals.directory import taxonomy
from shield.referrals.models import Provider, Referral, ReferralStatus, SupportDelivery
from shield.referrals.support import access, regimes

# A referral under which support may be recorded: the provider took the person on.
DELIVERABLE_STATUSES = frozenset(
    {ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED}
)
MAX_AMOUNT_VND = 10_000_000_000


def _tie(
    *,
    actor: User,
    referral: Referral | None,
    care_plan_action: CarePlanAction | None,
    provider: Provider | None,
) -> tuple[Case, Provider]:
    """The case and provider a delivery belongs to, from its referral or its care-plan action."""
    if (referral is None) == (care_plan_action is None):
        raise ValidationFailed(
            field_errors={
                "referral": [_("Tie the delivery to a referral or to a care-plan action (one of them).")]
            }
        )
    if referral is not None:
        if provider is not None and provider.pk != referral.provider_id:
            raise ValidationFailed(field_errors={"provider": [_("The provider is the referral's provider.")]})
        if referral.status not in DELIVERABLE_STATUSES:
            raise InvalidTransition(_("Support is recorded once the provider has accepted the referral."))
        return referral.case, referral.provider
    assert care_plan_action is not None
    case = care_plan_action.goal.plan.case
    if provider is None:
        raise ValidationFailed(field_errors={"provider": [_("Choose who gave the support.")]})
    return case, provider


def _amounts(
    *,
    support_type: str,
    delivered_on: datetime.date,
    quantity: Decimal,
    unit: str,
    amount_vnd: int | None,
    deviation_reason: str,
) -> dict[str, Any]:
    """The checked what-and-how-much fields of a delivery, with the regime in force on
    `delivered_on` applied: its suggested amount and basis; an amount that differs from it (or
    exceeds its cap) is refused without `deviation_reason`."""
    errors: dict[str, list[str]] = {}
    if support_type not in taxonomy.codes():
        errors["support_type"] = [_("Choose a type of support from the list.")]
    if delivered_on > timezone.localdate():
        errors["delivered_on"] = [_("The date cannot be in the future.")]
    if quantity <= 0:
        errors["quantity"] = [_("The quantity must be more than zero.")]
    if amount_vnd is not None and not 0 <= amount_vnd <= MAX_AMOUNT_VND:
        errors["amount_vnd"] = [_("Enter an amount between 0 and 10,000,000,000 VND.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    regime = regimes.regime_for(support_type, delivered_on)
    suggested = regime.suggested(quantity) if regime else None
    reason = deviation_reason.strip()
    if regime is not None and regime.is_money and amount_vnd is None:
        raise ValidationFailed(field_errors={"amount_vnd": [_("Enter the amount given, in VND.")]})
    if regime is not None and regime.deviates(amount_vnd, quantity) and not reason:
        raise ValidationFailed(
            field_errors={
                "deviation_reason": [
                    _("The amount differs from the %(amount)s VND the regime in force sets: say why.")
                    % {"amount": f"{suggested:,}"}
                ]
            }
        )
    return {
        "support_type": support_type,
        "delivered_on": delivered_on,
        "quantity": quantity,
        "unit": (unit.strip() or (regime.unit if regime else ""))[:40],
        "amount_vnd": amount_vnd,
        "suggested_amount_vnd": suggested,
        "regime_basis": (regime.legal_basis if regime else "")[:300],
        "deviation_reason": reason[:500],
    }


@transaction.atomic
def support_delivery_record(
    *,
    actor: User,
    support_type: str,
    delivered_on: datetime.date,
    referral: Referral | None = None,
    care_plan_action: CarePlanAction | None = None,
    provider: Provider | None = None,
    quantity: Decimal = Decimal(1),
    unit: str = "",
    amount_vnd: int | None = None,
    deviation_reason: str = "",
) -> SupportDelivery:
    """Record one delivery of support by the provider's staff, or by the case's workers for an
    external provider. The regime in force on `delivered_on` suggests the amount; an amount that
    differs from it (or exceeds its cap) is refused without `deviation_reason`."""
    case, provider = _tie(
        actor=actor, referral=referral, care_plan_action=care_plan_action, provider=provider
    )
    if not access.may_record_for(actor, provider=provider, case=case):
        if not case_selectors.can_view(user=actor, case=case) and not access.is_provider_staff(
            actor, provider
        ):
            raise NotFound()
        raise PermissionRefused(
            _(
                "Only the provider's staff, or the case's workers for an external provider, "
                "record its support."
            )
        )
    amounts = _amounts(
        support_type=support_type,
        delivered_on=delivered_on,
        quantity=quantity,
        unit=unit,
        amount_vnd=amount_vnd,
        deviation_reason=deviation_reason,
    )
    delivery = SupportDelivery.objects.create(
        case=case,
        person=case.person,
        referral=referral,
        care_plan_action=care_plan_action,
        provider=provider,
        recorded_by=actor,
        **amounts,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=case.owner_agency,
        obj=delivery,
        details={"support_type": support_type, "deviates": bool(amounts["deviation_reason"])},
    )
    return delivery


@transaction.atomic
def support_delivery_give_immediate(
    *,
    actor: User,
    person: Person,
    agency: Agency,
    support_type: str,
    delivered_on: datetime.date,
    case: Case | None = None,
    quantity: Decimal = Decimal(1),
    unit: str = "",
    amount_vnd: int | None = None,
    deviation_reason: str = "",
) -> SupportDelivery:
    """Record immediate support at first contact (meals and travel home at a reception at a
    border gate), given by `agency` before or without any case or referral: by the agency's
    reception staff (`returns.receive` reaching it). `case`, when the person already has one, must
    be the person's. The provider is the agency's own directory entry when the directory has one.
    The regime in force applies as for any delivery (`_amounts`)."""
    if not access.may_give_immediate(actor, agency=agency):
        raise PermissionRefused(_("Only the giving agency's reception staff record its immediate support."))
    if case is not None and case.person_id != person.pk:
        raise ValidationFailed(field_errors={"case": [_("The case is not this person's.")]})
    amounts = _amounts(
        support_type=support_type,
        delivered_on=delivered_on,
        quantity=quantity,
        unit=unit,
        amount_vnd=amount_vnd,
        deviation_reason=deviation_reason,
    )
    delivery = SupportDelivery.objects.create(
        case=case,
        person=person,
        immediate=True,
        agency=agency,
        provider=Provider.objects.filter(agency=agency, is_active=True).first(),
        recorded_by=actor,
        **amounts,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        obj=delivery,
        details={
            "support_type": support_type,
            "deviates": bool(amounts["deviation_reason"]),
            "immediate": True,
        },
    )
    return delivery


@transaction.atomic
def support_delivery_void(
    *, actor: User, delivery: SupportDelivery, version: int | None, reason: str
) -> SupportDelivery:
    """Void a mistaken delivery (never deleted): it stays in the history, out of the totals."""
    delivery = (
        SupportDelivery.objects.select_for_update(of=("self",))
        .select_related("case", "case__owner_agency", "provider", "agency")
        .get(pk=delivery.pk)
    )
    if not access.may_change(actor, delivery):
        raise PermissionRefused(_("Only those who may record this provider's support may void it."))
    check_version(delivery.version, version)
    if delivery.voided_at is not None:
        raise InvalidTransition(_("This delivery is already voided."))
    text = reason.strip()
    if not text:
        raise ValidationFailed(field_errors={"reason": [_("Say why the delivery is voided.")]})
    delivery.voided_at, delivery.voided_by, delivery.void_reason = timezone.now(), actor, text[:2000]
    save_versioned(delivery, expected_version=version, fields=["voided_at", "voided_by", "void_reason"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=delivery.answering_agency,
        obj=delivery,
        changed_fields=["voided_at", "voided_by", "void_reason"],
        reason=reasons.reference(delivery, "void_reason"),
    )
    return delivery
