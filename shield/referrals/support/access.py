"""Who may record care (support delivered, admissions, discharges, holds, beds) and who reads it.

One rule for the support and shelter parts:
- a provider's own staff (`referrals.deliver` in a membership reaching the provider's agency)
  record for their provider;
- for an external provider (no Shield users), the case's workers (`cases.edit` on the case)
  record on its behalf;
- case records are read by whoever sees the case (`cases.view`) and by the provider's staff;
- immediate support at first contact (a reception at a border gate, often before any case) is
  recorded and voided by the giving agency's reception staff (`returns.receive` reaching that
  agency), and read by whoever holds `returns.view` reaching it (besides the case's readers once
  a case exists, and the provider's staff when the agency has a directory entry).
"""

from django.db.models import Q

from shield.accounts import policy
from shield.accounts.models import Agency, User
from shield.cases import selectors as case_selectors
from shield.cases.models import Case
from shield.cases.selectors import Viewer
from shield.referrals.models import Provider, SupportDelivery

MAKE = "referrals.make"
DELIVER = "referrals.deliver"
SUPERVISE = "referrals.supervise"
MANAGE_DIRECTORY = "referrals.manage_directory"
# Who may look at shelters, their beds and the vacancy board.
SHELTER_READERS = (MAKE, DELIVER, SUPERVISE, MANAGE_DIRECTORY)
# Immediate support is given by an agency's reception staff (the returns app's permissions; only
# their names are used here, nothing of the returns app is imported).
RECEIVE = "returns.receive"
RECEPTION_VIEW = "returns.view"
NOTHING = Q(pk__in=[])


def has_any(user: Viewer | None, permissions: tuple[str, ...]) -> bool:
    return any(policy.has_permission(user, p) for p in permissions)


def staff_q(user: Viewer | None, permission: str, *, provider_path: str) -> Q:
    """A filter selecting rows whose provider (at `provider_path`) is reached by `permission`."""
    reach = policy.scope_q(user, permission, agency_path=f"{provider_path}__agency")
    # A national scope is `Q()`, which an OR drops: say "any provider of a Shield agency" instead.
    return reach if reach.children else Q(**{f"{provider_path}__agency__isnull": False})


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


def may_give_immediate(user: User, *, agency: Agency) -> bool:
    """Whether `user` may record (or void) immediate support given by `agency`."""
    return reaches_agency(user, RECEIVE, agency)


def may_change(user: User, delivery: SupportDelivery) -> bool:
    """Whether `user` may void `delivery` (the rule it was recorded under)."""
    if delivery.immediate:
        assert delivery.agency is not None
        return may_give_immediate(user, agency=delivery.agency)
    assert delivery.provider is not None
    assert delivery.case is not None
    return may_record_for(user, provider=delivery.provider, case=delivery.case)


def immediate_q(user: Viewer | None) -> Q:
    """A filter selecting immediate deliveries whose giving agency `returns.view` reaches."""
    if not policy.has_permission(user, RECEPTION_VIEW):
        return NOTHING
    return Q(immediate=True) & policy.scope_q(user, RECEPTION_VIEW, agency_path="agency")


def may_supervise(user: User, *, provider: Provider, case: Case | None) -> bool:
    """`referrals.supervise` reaching the provider's agency or the case's owning agency."""
    if reaches_agency(user, SUPERVISE, provider.agency):
        return True
    return case is not None and reaches_agency(user, SUPERVISE, case.owner_agency)


def visible_cases_q(user: Viewer | None, *, case_path: str) -> Q:
    """A filter selecting rows whose case (at `case_path`) the user sees."""
    reach = case_selectors.visible_q(user)
    if not reach.children:
        # Every case. Not `Q()`: OR-ed with another filter, an empty Q gives way to it (Django
        # drops it), so a national reader would lose the cases; nor rows without a case.
        return Q(**{f"{case_path}__isnull": False})
    return Q(**{f"{case_path}__in": Case.objects.filter(reach).values("pk")})
