"""Reads of agencies and memberships, with access applied."""

from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from shield.accounts import policy
from shield.accounts.models import Agency, GrantStatus, RoleGrant, User
from shield.accounts.roles import PERMISSION_LABELS
from shield.core.errors import NotFound


def agency_list_managed_by(*, user: User | AnonymousUser) -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=[a.pk for a in policy.agencies_managed_by(user)]).select_related(
        "province"
    )


def agency_get_managed_by(*, user: User | AnonymousUser, agency_id: str | UUID) -> Agency:
    agency = agency_list_managed_by(user=user).filter(pk=agency_id).first()
    if agency is None:
        raise NotFound()
    return agency


def capability_links_of(*, user: User | AnonymousUser) -> list[tuple[str, str]]:
    """Each capability with the page where it is used ("" when there is no one page for it).

    "Manage your agency's members" leads straight to the members of the one agency an agency
    administrator manages; to the list of agencies when there are several (or for a system
    administrator)."""
    from django.urls import reverse

    granted = policy.permissions_of(user)
    pages: dict[str, str] = {}
    if "accounts.manage_agency" in granted:
        managed = list(agency_list_managed_by(user=user).values_list("pk", flat=True)[:2])
        only_one = len(managed) == 1 and "accounts.manage_system" not in granted
        pages["accounts.manage_agency"] = (
            reverse("accounts:member_list", args=[managed[0]])
            if only_one
            else reverse("accounts:agency_list")
        )
    if "accounts.manage_system" in granted:
        pages["accounts.manage_system"] = reverse("accounts:agency_list")
    return [(str(label), pages.get(code, "")) for code, label in PERMISSION_LABELS.items() if code in granted]


# A page of pending grants: more than this waiting means something else is wrong.
PENDING_GRANTS_SHOWN = 100


def role_grant_pending_list(*, user: User | AnonymousUser) -> QuerySet[RoleGrant]:
    """Grants waiting for a second administrator; system administrators see them all."""
    if not policy.has_permission(user, "accounts.manage_system"):
        return RoleGrant.objects.none()
    return (
        RoleGrant.objects.filter(status=GrantStatus.PENDING)
        .select_related("user", "agency", "requested_by")
        .order_by("created_at")
    )


def role_grant_get_pending(*, user: User | AnonymousUser, grant_id: str | UUID) -> RoleGrant:
    grant = role_grant_pending_list(user=user).filter(pk=grant_id).first()
    if grant is None:
        raise NotFound()
    return grant
