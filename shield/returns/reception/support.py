"""Immediate support at reception: what a returnee is given at once at the border gate (meals,
travel home, an allowance), recorded as the referrals app's support delivered (`SupportDelivery`,
`immediate`), so one mechanism counts all support. The delivery is given by the reception's
agency, tied to the returnee's case when their return has one, and linked to the member
(`ReceptionSupport`). Voiding a mistaken one is the referrals app's
(`support_delivery_void`, page `referrals:delivery_void`)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.core.errors import InvalidTransition, PermissionRefused, ValidationFailed
from shield.referrals.models import SupportDelivery
from shield.referrals.support import services as support_services
from shield.returns.models import ReceptionMember, ReceptionSupport, ReturnStatus

RECEIVE = "returns.receive"


@transaction.atomic
def member_support_give(
    *,
    actor: User,
    member: ReceptionMember,
    support_type: str,
    delivered_on: datetime.date,
    quantity: Decimal = Decimal(1),
    unit: str = "",
    amount_vnd: int | None = None,
    deviation_reason: str = "",
) -> SupportDelivery:
    """Record support given at once to a returnee received: the reception's agency gives it
    (`returns.receive` reaching that agency), on or after the day of reception; the regime in force
    suggests the amount and a differing amount needs `deviation_reason`."""
    if not actor.has_perm(RECEIVE):
        raise PermissionRefused()
    member = ReceptionMember.objects.select_related(
        "event__agency", "return_record__person", "return_record__case"
    ).get(pk=member.pk)
    event, record = member.event, member.return_record
    if record.status == ReturnStatus.CANCELLED:
        raise InvalidTransition(_("This return is cancelled."))
    received_on = timezone.localdate(event.received_at)
    if delivered_on < received_on:
        raise ValidationFailed(
            field_errors={
                "delivered_on": [
                    _("Support at reception is given from the day of reception (%(day)s).")
                    % {"day": received_on.strftime("%d/%m/%Y")}
                ]
            }
        )
    delivery = support_services.support_delivery_give_immediate(
        actor=actor,
        person=record.person,
        agency=event.agency,
        case=record.case,
        support_type=support_type,
        delivered_on=delivered_on,
        quantity=quantity,
        unit=unit,
        amount_vnd=amount_vnd,
        deviation_reason=deviation_reason,
    )
    link = ReceptionSupport.objects.create(member=member, delivery=delivery)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=event.agency,
        obj=link,
        details={"member": str(member.pk), "delivery": str(delivery.pk)},
    )
    return delivery
