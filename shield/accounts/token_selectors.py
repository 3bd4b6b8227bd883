"""Reads of API tokens with access applied: a user reaches their own tokens; an agency
administrator also those of the members of the agencies they manage; a system administrator all.
A token out of reach and a missing one alike raise NotFound."""

from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from shield.accounts import policy
from shield.accounts.models import Membership, User
from shield.accounts.token_models import ApiToken
from shield.core.errors import NotFound

MANAGE = "accounts.manage_agency"


def _tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user", "revoked_by").order_by("-created_at", "-id")


def token_list_own(*, user: User) -> QuerySet[ApiToken]:
    return _tokens().filter(user=user)


def _members_q(user: User | AnonymousUser, agency_id: UUID | str | None = None) -> Q:
    if not policy.has_permission(user, MANAGE):
        return policy.NOTHING
    if agency_id is None and policy.has_permission(user, "accounts.manage_system"):
        # Not Q(): an empty Q vanishes when OR-ed with the owner's ("own | everyone" would be "own").
        return Q(pk__isnull=False)
    agencies = [a.pk for a in policy.agencies_managed_by(user)]
    if agency_id is not None:
        agencies = [pk for pk in agencies if str(pk) == str(agency_id)]
    members = Membership.objects.filter(agency_id__in=agencies, is_active=True).values("user_id")
    return Q(user_id__in=members)


def token_list_managed_by(
    *, user: User | AnonymousUser, agency_id: UUID | str | None = None, owner_id: UUID | str | None = None
) -> QuerySet[ApiToken]:
    """Tokens of the members of the agencies `user` manages (one of them with `agency_id`)."""
    tokens = _tokens().filter(_members_q(user, agency_id))
    if owner_id is not None:
        tokens = tokens.filter(user_id=owner_id)
    return tokens


def token_get_revocable_by(*, user: User, token_id: UUID | str) -> ApiToken:
    """A token its owner may revoke, or an administrator of the owner's agency."""
    token = _tokens().filter(Q(user=user) | _members_q(user), pk=token_id).first()
    if token is None:
        raise NotFound()
    return token
