"""Reading returns, verification requests and receptions with access applied (returns.view in a
scope covering the receiving agency)."""

import uuid

from django.db.models import Q, QuerySet

from shield.accounts import policy
from shield.accounts.models import User
from shield.core.lookups import one_or_not_found
from shield.returns.models import ReceptionEvent, Return, VerificationRequest, VerificationStatus

VIEW = "returns.view"
VERIFY = "returns.verify"


def _reach(user: User, agency_path: str) -> Q:
    if not user.is_authenticated or not user.is_active or not policy.has_permission(user, VIEW):
        return Q(pk__in=[])
    return user.scope_q(VIEW, agency_path=agency_path)


def return_list_for(*, user: User) -> QuerySet[Return]:
    return Return.objects.filter(_reach(user, "agency")).select_related("person", "agency", "border_gate")


def return_get_for(*, user: User, return_id: uuid.UUID | str) -> Return:
    return one_or_not_found(return_list_for(user=user), return_id)


def verification_list_for(*, user: User) -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.filter(_reach(user, "return_record__agency")).select_related(
        "return_record", "return_record__person"
    )


def verifications_due(user: User) -> QuerySet[VerificationRequest]:
    """The worklist: requests not yet answered, soonest due first."""
    return (
        verification_list_for(user=user)
        .exclude(status=VerificationStatus.ANSWERED)
        .order_by("answer_due_at", "id")
    )


def reception_list_for(*, user: User) -> QuerySet[ReceptionEvent]:
    return ReceptionEvent.objects.filter(_reach(user, "agency")).select_related("border_gate", "agency")


def reception_get_for(*, user: User, event_id: uuid.UUID | str) -> ReceptionEvent:
    return one_or_not_found(reception_list_for(user=user), event_id)
