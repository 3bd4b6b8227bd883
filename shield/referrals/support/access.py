"""Who may record care (support delivered, admissions, discharges, holds, beds) and who reads it.

One rule for the support and shelter parts:
- a provider's own staff (`referrals.deliver` in a membership reaching the provider's agency)
  record for their provider;
- for an external provider (no Shield users), the case's workers (`cases.edit` on the case)
  record on its behalf;
- case records are read by whoever sees the case (`cases.view`) and by the provider's staff.
"""

from django.db.models import Q

from shield.accounts import policy
from shield.accounts.models import Agency, User
from shield.cases import selectors as case_selectors
from shield.cases.models import Case
from shield.cases.selectors import Viewer
from shield.referrals.models import Provider

MAKE = "referrals.make"
DELIVER = "referrals.deliver"
SUPERVISE = "referrals.supervise"
MANAGE_DIRECTORY = "referrals.manage_directory"
# Who may look at shelters, their beds and the vacancy board.
SHELTER_READERS = (MAKE, DELIVER, SUPERVISE, MANAGE_DIRECTORY)
NOTHING = Q(pk__in=[])


def has_any(user: Viewer | None, permissions: tuple[str, ...]) -> bool:
    return any(policy.has_permission(user, p) for p in permissions)


def staff_q(user: Viewer | None, permission: str, *, provider_path: str) -> Q:
    """A filter selecting rows whose provider (at `provider_path`) is reached by `permission`."""
    return policy.scope_q(user, permission, agency_path=f"{provider_path}__agency")


def reaches_agency(user: Viewer | None, permission: str, agency: Agency | None) -> bool:
    if agency is None or not policy.has_permission(user, permission):
        return False
    assert user is not None
    return case_selectors.may_act_in_agency(user=user, agency=agency, permission=permission)


def is_provider_staff(user: Viewer | None, provider: Provider) -> bool:
    return reaches_agency(user, DELIVER, provider.agency)


def may_record_for(user: User, *, provider: Provider, case: Case) -> bool:
    """Whether `user` may record care given by `provider` to `case`'s person (module docstring)."""
    if is_provider_staff(user, provider):
        return True
    return provider.is_external and case_selectors.can_edit(user=user, case=case)


def may_supervise(user: User, *, provider: Provider, case: Case | None) -> bool:
    """`referrals.supervise` reaching the provider's agency or the case's owning agency."""
    if reaches_agency(user, SUPERVISE, provider.agency):
        return True
    return case is not None and reaches_agency(user, SUPERVISE, case.owner_agency)


def visible_cases_q(user: Viewer | None, *, case_path: str) -> Q:
    """A filter selecting rows whose case (at `case_path`) the user sees."""
    reach = case_selectors.visible_q(user)
    if not reach.children:
        return Q()
    return Q(**{f"{case_path}__in": Case.objects.filter(reach).values("pk")})
