"""Access policy: which capabilities a user holds and which records their memberships reach.

Selectors in every app scope their querysets with `scope_q` (or `user.scope_q`), so the rule
"own records / agency / province / national" lives here once.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS, Scope

NOTHING = Q(pk__in=[])


def _user(user: User | AnonymousUser | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    return user


def permissions_of(user: User | AnonymousUser | None) -> frozenset[str]:
    """Every capability the user's active memberships grant."""
    u = _user(user)
    if u is None:
        return frozenset()
    cached: frozenset[str] | None = getattr(u, "_shield_permissions", None)
    if cached is None:
        granted: set[str] = set()
        for membership in u.active_memberships():
            granted |= ROLE_PERMISSIONS.get(membership.role, frozenset())
        cached = frozenset(granted)
        u._shield_permissions = cached  # type: ignore[attr-defined]
    return cached


def has_permission(user: User | AnonymousUser | None, permission: str) -> bool:
    return permission in permissions_of(user)


def memberships_with(user: User | AnonymousUser | None, permission: str) -> list[Membership]:
    u = _user(user)
    if u is None:
        return []
    return [m for m in u.active_memberships() if permission in ROLE_PERMISSIONS.get(m.role, frozenset())]


def agency_and_descendant_ids(agency: Agency) -> set[object]:
    """The agency and every agency below it (a provincial police department and its stations)."""
    found: set[object] = {agency.pk}
    frontier = [agency.pk]
    while frontier:
        children = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


def _subtree_of(membership: Membership) -> set[object]:
    # Kept on the membership, which the user caches for the request: a page asking several
    # selectors (the home page's work queues) walks the agency tree once, not once per selector.
    cached: set[object] | None = getattr(membership, "_shield_subtree", None)
    if cached is None:
        cached = agency_and_descendant_ids(membership.agency)
        membership._shield_subtree = cached  # type: ignore[attr-defined]
    return cached


def scope_q(
    user: User | AnonymousUser | None,
    permission: str,
    *,
    agency_path: str,
    province_path: str | None = None,
    owner_path: str | None = None,
) -> Q:
    """A filter selecting the records this user reaches through memberships granting `permission`.

    `agency_path` leads from the record to its owning agency, `province_path` to its province
    (defaults to the owning agency's province) and `owner_path` to the user who owns it; a scope
    whose path is not given reaches nothing.
    """
    memberships = memberships_with(user, permission)
    province_path = province_path or f"{agency_path}__province"
    reach = NOTHING
    for membership in memberships:
        if membership.scope == Scope.NATIONAL:
            return Q()
        if membership.scope == Scope.PROVINCE:
            reach |= Q(**{province_path: membership.agency.province_id})
        elif membership.scope == Scope.AGENCY:
            reach |= Q(**{f"{agency_path}__in": _subtree_of(membership)})
        elif membership.scope == Scope.OWN and owner_path:
            reach |= Q(**{owner_path: membership.user_id})
    return reach


def agencies_managed_by(user: User | AnonymousUser | None) -> Iterable[Agency]:
    """Agencies whose settings this user may change (system administrators: all)."""
    if has_permission(user, "accounts.manage_system"):
        return Agency.objects.filter(is_active=True)
    ids: set[object] = set()
    for membership in memberships_with(user, "accounts.manage_agency"):
        ids |= agency_and_descendant_ids(membership.agency)
    return Agency.objects.filter(pk__in=ids, is_active=True)


def requires_two_factor(user: User | AnonymousUser | None) -> bool:
    u = _user(user)
    if u is None:
        return False
    from django.conf import settings

    always = set(getattr(settings, "SHIELD_TWO_FACTOR_ROLES", []))
    return any(m.role in always or m.agency.requires_two_factor(m.role) for m in u.active_memberships())
