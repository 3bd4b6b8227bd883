"""Reading one returnee of a reception, with access applied.

A member is in reach when its reception is (`selectors.reception_list_for`: `returns.view` in a scope
covering the receiving agency); to change one, the reception must also be in reach of
`returns.receive` (as `selectors.reception_get_to_change`). Out of reach answers 404 like missing.
"""

import uuid

from django.db.models import QuerySet

from shield.accounts.models import User
from shield.core.lookups import one_or_not_found
from shield.returns.models import ReceptionEvent, ReceptionMember
from shield.returns.reception import selectors

# What a member's answer shows: its return and person (the name as the user may see it), screening,
# commune; one statement.
_MEMBER_RELATED = ("event", "return_record", "return_record__person", "screening", "commune")


def _members_of(events: QuerySet[ReceptionEvent]) -> QuerySet[ReceptionMember]:
    return ReceptionMember.objects.filter(event__in=events.values("pk")).select_related(*_MEMBER_RELATED)


def member_get_for(*, user: User, member_id: uuid.UUID | str) -> ReceptionMember:
    """One member of a reception the user may see."""
    return one_or_not_found(_members_of(selectors.reception_list_for(user=user)), member_id)


def member_get_to_change(*, user: User, member_id: uuid.UUID | str) -> ReceptionMember:
    """One member of a reception the user may see and receive returnees in."""
    events = selectors.reception_list_for(user=user).filter(
        user.scope_q(selectors.RECEIVE, agency_path="agency")
    )
    return one_or_not_found(_members_of(events), member_id)
