"""Reads for running an agency: its members, one member, their sign-ins; all agencies for a system
administrator. Access is applied here: an agency outside the reader's management answers 404."""

from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from shield.accounts import policy
from shield.accounts.models import Agency, GrantStatus, Membership, RoleGrant, User
from shield.audit.models import AuditAction, AuditEvent
from shield.core.errors import NotFound

# Longest search text taken (a name or a username; usernames are at most 150 characters).
SEARCH_MAX_LENGTH = 150
SIGN_IN_ACTIONS = (AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.LOGIN_FAILED, AuditAction.LOCKED_OUT)


@dataclass(frozen=True)
class MemberFilters:
    search: str = ""
    role: str = ""
    status: str = ""  # "active", "inactive" or "" for everyone


def _in_agency(agency: Agency) -> Q:
    """Everyone who holds or held a role here, or waits for one (an invitation awaiting approval)."""
    return Q(Exists(Membership.objects.filter(user=OuterRef("pk"), agency=agency))) | Q(
        Exists(RoleGrant.objects.filter(user=OuterRef("pk"), agency=agency, status=GrantStatus.PENDING))
    )


def _active_here(agency: Agency) -> Q:
    return Q(is_active=True) & Q(
        Exists(Membership.objects.filter(user=OuterRef("pk"), agency=agency, is_active=True))
    )


def member_list_for(*, user: User | AnonymousUser, agency: Agency, filters: MemberFilters) -> QuerySet[User]:
    """The agency's people, family name first, each with their memberships and pending grants here
    (two prefetch queries whatever the page's size). `agency` comes from `agency_get_managed_by`."""
    if agency.pk not in {a.pk for a in policy.agencies_managed_by(user)}:
        return User.objects.none()
    people = User.objects.filter(_in_agency(agency))
    search = filters.search.strip()[:SEARCH_MAX_LENGTH]
    for word in search.split():
        people = people.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    if filters.role:
        people = people.filter(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"), agency=agency, role=filters.role, is_active=True
                )
            )
        )
    if filters.status == "active":
        people = people.filter(_active_here(agency))
    elif filters.status == "inactive":
        people = people.exclude(_active_here(agency))
    return people.order_by("last_name", "first_name", "username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(agency=agency).order_by("-is_active", "created_at"),
            to_attr="memberships_here",
        ),
        Prefetch(
            "role_grants",
            queryset=RoleGrant.objects.filter(agency=agency, status=GrantStatus.PENDING).order_by(
                "created_at"
            ),
            to_attr="pending_here",
        ),
    )


def member_get_for(*, user: User | AnonymousUser, agency: Agency, member_id: str | UUID) -> User:
    member = member_list_for(user=user, agency=agency, filters=MemberFilters()).filter(pk=member_id).first()
    if member is None:
        raise NotFound()
    return member


def membership_get_for(*, agency: Agency, member: User, membership_id: str | UUID) -> Membership:
    found = next(
        (m for m in getattr(member, "memberships_here", []) if str(m.pk) == str(membership_id)), None
    )
    if found is None:
        raise NotFound()
    return found


def sign_in_history_of(*, member: User) -> QuerySet[AuditEvent]:
    """Sign-ins, sign-outs, failed sign-ins and lockouts of this account, and the blocks of the
    addresses its failed sign-ins came from (an address block names no account). The caller has
    reached `member` through `member_get_for`."""
    failed_from = AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=str(member.pk),
        ip_address__isnull=False,
    ).values("ip_address")
    return (
        AuditEvent.objects.filter(
            Q(object_type="accounts.user", object_id=str(member.pk), action__in=SIGN_IN_ACTIONS)
            | Q(action=AuditAction.ADDRESS_BLOCKED, ip_address__in=failed_from)
        )
        .only("id", "sequence", "occurred_at", "action", "ip_address")
        .order_by("-sequence")
    )


def agency_list_for_system(*, user: User | AnonymousUser) -> QuerySet[Agency]:
    """Every agency, the inactive ones too, for a system administrator; nothing for anyone else."""
    if not policy.has_permission(user, "accounts.manage_system"):
        return Agency.objects.none()
    return Agency.objects.select_related("province", "parent").order_by("name_vi")


def agency_get_for_system(*, user: User | AnonymousUser, agency_id: str | UUID) -> Agency:
    agency = agency_list_for_system(user=user).filter(pk=agency_id).first()
    if agency is None:
        raise NotFound()
    return agency
