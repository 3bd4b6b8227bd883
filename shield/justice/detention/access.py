"""Which proceedings a user reaches and whose children's names they may read.

A LOCAL STAND-IN until the proceedings part lands `shield.justice.proceedings.access` and its
selectors: the same rule as issue 17 states it (a proceeding's access follows every agency that
held it, plus the officers assigned to it; children's identities only for the officers assigned).
At merge, point these at the proceedings part's functions and drop this module.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from shield.accounts.models import User
from shield.accounts.policy import has_permission, scope_q
from shield.justice.models import JusticeAssignment, Party, Proceeding
from shield.people.models import Person
from shield.people.selectors import masked_name

VIEW = "justice.view"
EDIT = "justice.edit"


def proceedings_in_reach(user: User | AnonymousUser, permission: str = VIEW) -> QuerySet[Proceeding]:
    """Proceedings whose holding agencies (now or before) the user's memberships granting
    `permission` reach, and those the user is assigned to (while holding `permission`)."""
    if not has_permission(user, permission):
        return Proceeding.objects.none()
    held = scope_q(
        user, permission, agency_path="holdings__agency", province_path="holdings__agency__province"
    )
    assigned = Q(assignments__officer=user, assignments__ended_at__isnull=True)
    return Proceeding.objects.filter(pk__in=Proceeding.objects.filter(held | assigned).values("pk"))


def assigned_proceeding_ids(user: User | AnonymousUser) -> set[object]:
    """The proceedings the user is assigned to now (one query, for a whole list)."""
    if not user.is_authenticated:
        return set()
    return set(
        JusticeAssignment.objects.filter(officer=user, ended_at__isnull=True).values_list(
            "proceeding_id", flat=True
        )
    )


def can_see_child_identity(user: User | AnonymousUser, proceeding: Proceeding) -> bool:
    return proceeding.pk in assigned_proceeding_ids(user)


def party_name(*, party: Party, person: Person, assigned: set[object]) -> str:
    """A party's name as shown: a child's is masked unless the reader is assigned to the
    proceeding (`assigned` from `assigned_proceeding_ids`)."""
    if party.is_child and party.proceeding_id not in assigned:
        return masked_name(person)
    return person.full_name
