"""Who may use the directory, who keeps which part of it, and who sees a hidden address.

- Reading: anyone holding `referrals.make`, `referrals.deliver`, `referrals.supervise` or
  `referrals.manage_directory` (the directory is national: a worker refers across provinces).
- Keeping it (`referrals.manage_directory`): an agency administrator keeps the provider of their
  own agency (and the agencies below it) and its services; a system administrator
  (`accounts.manage_system`) keeps everything, external providers included.
- Capacity: the directory's keepers, or the provider's own staff with `referrals.deliver`.
- A redacted (shelter) address: the provider's own staff with `referrals.deliver`, supervisors
  (`referrals.supervise`) and the directory's keepers. Never in lists, exports or HSDS output.
"""

from django.contrib.auth.models import AnonymousUser

from shield.accounts.models import Agency, User
from shield.accounts.policy import agency_and_descendant_ids, has_permission, memberships_with
from shield.referrals.models import Provider, Service

MAKE = "referrals.make"
DELIVER = "referrals.deliver"
SUPERVISE = "referrals.supervise"
MANAGE = "referrals.manage_directory"
MANAGE_SYSTEM = "accounts.manage_system"
READ_PERMISSIONS = (MAKE, DELIVER, SUPERVISE, MANAGE)

AnyUser = User | AnonymousUser | None


def can_use_directory(user: AnyUser) -> bool:
    return any(has_permission(user, p) for p in READ_PERMISSIONS)


def manages_everything(user: AnyUser) -> bool:
    return has_permission(user, MANAGE) and has_permission(user, MANAGE_SYSTEM)


def _agency_ids_with(user: AnyUser, permission: str) -> set[object]:
    ids: set[object] = set()
    for membership in memberships_with(user, permission):
        cached: set[object] | None = getattr(membership, "_shield_subtree", None)
        if cached is None:
            cached = agency_and_descendant_ids(membership.agency)
            membership._shield_subtree = cached  # type: ignore[attr-defined]
        ids |= cached
    return ids


def managed_agency_ids(user: AnyUser) -> set[object]:
    """Agencies whose provider this user keeps (empty for a system administrator: see
    `manages_everything`)."""
    return _agency_ids_with(user, MANAGE)


def manages_directory(user: AnyUser) -> bool:
    return has_permission(user, MANAGE)


def manages_provider(user: AnyUser, provider: Provider) -> bool:
    if manages_everything(user):
        return True
    return provider.agency_id is not None and provider.agency_id in managed_agency_ids(user)


def may_create_provider_for(user: AnyUser, agency: Agency | None) -> bool:
    """External providers (no agency): system administrators only."""
    if manages_everything(user):
        return True
    return agency is not None and agency.pk in managed_agency_ids(user)


def is_provider_staff(user: AnyUser, provider: Provider) -> bool:
    return provider.agency_id is not None and provider.agency_id in _agency_ids_with(user, DELIVER)


def may_set_capacity(user: AnyUser, service: Service) -> bool:
    return manages_provider(user, service.provider) or is_provider_staff(user, service.provider)


def address_visible_to(user: AnyUser, service: Service) -> bool:
    """A service's address on its detail page: always unless redacted; a redacted one only to the
    roles that need it."""
    if not service.address_redacted:
        return True
    if has_permission(user, SUPERVISE) or has_permission(user, MANAGE):
        return True
    return is_provider_staff(user, service.provider)
