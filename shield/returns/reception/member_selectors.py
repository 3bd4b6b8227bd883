"""Reading the members of a reception, and who may be named among its officers, with access applied.

The reception's own reach (`selectors.reception_list_for`: `returns.view` in a scope covering the
receiving agency) is the members' reach: a member outside it answers 404 like a missing one.
Kept beside `selectors.py` so the parts of the reception built in parallel merge cleanly.
"""

import uuid

from django.db.models import QuerySet

from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.core.lookups import one_or_not_found
from shield.returns.models import ReceptionEvent, ReceptionMember
from shield.returns.reception import selectors

RECEIVE = "returns.receive"

# What a member's row shows: its return and person (the name as the user may see it), screening,
# commune; one statement however many members.
_MEMBER_RELATED = ("event", "return_record", "return_record__person", "screening", "commune")


def member_list_for(*, user: User) -> QuerySet[ReceptionMember]:
    """The members of the receptions the user may see."""
    events = selectors.reception_list_for(user=user).values("pk")
    return ReceptionMember.objects.filter(event__in=events).select_related(*_MEMBER_RELATED)


def member_get_for(*, user: User, member_id: uuid.UUID | str) -> ReceptionMember:
    """One member of a reception the user may see; missing and out of reach alike: NotFound."""
    return one_or_not_found(member_list_for(user=user), member_id)


def members_of(event: ReceptionEvent) -> QuerySet[ReceptionMember]:
    """The members of a reception reached through a selector, in the order they were received."""
    return ReceptionMember.objects.filter(event=event).select_related(*_MEMBER_RELATED).order_by("position")


def officers_of(event: ReceptionEvent) -> list[uuid.UUID]:
    """The ids of the officers who received the group."""
    return list(event.officers.order_by("officer_id").values_list("officer_id", flat=True))


def receivers_of(agency: Agency | None) -> QuerySet[User]:
    """Who may be named among a reception's officers: active members of the agency whose role grants
    `returns.receive`."""
    if agency is None:
        return User.objects.none()
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if RECEIVE in granted]
    members = Membership.objects.filter(
        agency=agency, is_active=True, role__in=roles, user__is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=members)
