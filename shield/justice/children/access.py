"""Who sees and changes a proceeding's children's records, and whose eyes see a child's name.

STAND-IN for the proceedings part's `shield.justice.proceedings.access` and `.selectors` (same
names, same rules: every agency that held the proceeding and the officers assigned see it;
`justice.edit` over the agency holding it now or an open assignment changes it; only assigned
officers see a child's identity). At merge, point these names at the proceedings part's functions
and delete the bodies here.
"""

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from shield.accounts import policy
from shield.accounts.models import User
from shield.core.lookups import one_or_not_found
from shield.justice.models import JusticeAssignment, Party, Proceeding, ProceedingHolding
from shield.people.selectors import masked_name

VIEW = "justice.view"
EDIT = "justice.edit"
JUSTIFY = "justice.justify_exception"
Viewer = User | AnonymousUser
NOTHING = Q(pk__in=[])


def _active_user(user: Viewer | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    return user


def _assigned_ids(user: User) -> Q:
    open_assignments = JusticeAssignment.objects.filter(officer=user, ended_at__isnull=True)
    return Q(pk__in=open_assignments.values("proceeding_id"))


def visible_q(user: Viewer | None) -> Q:
    u = _active_user(user)
    if u is None or not policy.has_permission(u, VIEW):
        return NOTHING
    reach = policy.scope_q(u, VIEW, agency_path="agency")
    if not reach.children:
        return Q()
    held = ProceedingHolding.objects.filter(reach).values("proceeding_id")
    return Q(pk__in=held) | _assigned_ids(u)


def editable_q(user: Viewer | None) -> Q:
    u = _active_user(user)
    if u is None or not policy.has_permission(u, EDIT):
        return NOTHING
    reach = policy.scope_q(u, EDIT, agency_path="holding_agency")
    if not reach.children:
        return Q()
    return reach | _assigned_ids(u)


def can_edit(*, user: Viewer, proceeding: Proceeding) -> bool:
    return Proceeding.objects.filter(editable_q(user), pk=proceeding.pk).exists()


def is_assigned(user: Viewer | None, proceeding: Proceeding) -> bool:
    """An officer with an open assignment to the proceeding (cached on the instance)."""
    u = _active_user(user)
    if u is None:
        return False
    cache: dict[object, bool] = proceeding.__dict__.setdefault("_shield_assigned", {})
    if u.pk not in cache:
        cache[u.pk] = JusticeAssignment.objects.filter(
            proceeding=proceeding, officer=u, ended_at__isnull=True
        ).exists()
    return cache[u.pk]


def assigned_proceeding_ids(user: Viewer | None) -> set[object]:
    """The proceedings the user is assigned to (open assignments), in one query."""
    u = _active_user(user)
    if u is None or not policy.has_permission(u, VIEW):
        return set()
    return set(
        JusticeAssignment.objects.filter(officer=u, ended_at__isnull=True).values_list(
            "proceeding_id", flat=True
        )
    )


def can_see_child_identity(user: Viewer | None, proceeding: Proceeding) -> bool:
    u = _active_user(user)
    if u is None or not policy.has_permission(u, VIEW):
        return False
    return is_assigned(u, proceeding)


def party_name_for(*, user: Viewer, party: Party, proceeding: Proceeding | None = None) -> str:
    if not party.is_child or can_see_child_identity(user, proceeding or party.proceeding):
        return party.person.full_name
    return masked_name(party.person)


def proceeding_get_for(*, user: Viewer, proceeding_id: uuid.UUID | str) -> Proceeding:
    items = Proceeding.objects.filter(visible_q(user)).select_related("holding_agency")
    return one_or_not_found(items, proceeding_id)


def party_get_for(*, user: Viewer, party_id: uuid.UUID | str) -> Party:
    items = Party.objects.filter(proceeding__in=Proceeding.objects.filter(visible_q(user))).select_related(
        "person", "proceeding", "proceeding__holding_agency"
    )
    party = one_or_not_found(items, party_id)
    party.display_name = party_name_for(user=user, party=party)  # type: ignore[attr-defined]
    return party
