"""What every case service checks first: may this actor act on this case, on the current row?

Services receive records the caller read earlier; they re-read the row under a lock
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers) so
every check and write sees the current state. A case the actor cannot see raises NotFound (as
missing), one they can see but not change raises PermissionRefused.
"""

from typing import Any

from django.utils.translation import gettext as _

from shield.accounts.models import Agency, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.cases import selectors
from shield.cases.models import Case
from shield.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)


def lock_case(case: Case | Any) -> Case:
    """The current row of a case, locked until the transaction ends."""
    pk = case.pk if isinstance(case, Case) else case
    return Case.objects.select_for_update().select_related("owner_agency", "person").get(pk=pk)


def case_for_edit(*, actor: User, case: Case, allow_closed: bool = False) -> Case:
    """The locked current row of a case the actor may change; a closed case only if `allow_closed`."""
    if not selectors.can_view(user=actor, case=case):
        raise NotFound()
    if not selectors.can_edit(user=actor, case=case):
        raise PermissionRefused()
    locked = lock_case(case)
    if locked.is_closed and not allow_closed:
        raise InvalidTransition(_("This case is closed: reopen it first."))
    return locked


def case_for_supervision(*, actor: User, case: Case) -> Case:
    """The locked current row of a case whose plans and closure the actor may approve."""
    if not selectors.can_view(user=actor, case=case):
        raise NotFound()
    if not selectors.can_supervise(user=actor, case=case):
        raise PermissionRefused(_("Only a supervisor whose scope reaches this case can do this."))
    return lock_case(case)


def check_version(current_version: int, expected_version: int | None) -> None:
    """The same refusals as `save_versioned`, before anything else is checked or written."""
    if expected_version is None:
        raise VersionRequired()
    if current_version != expected_version:
        raise StaleVersion()


def required_text(value: str | None, *, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(field_errors={field: [message]})
    return text


def is_case_worker_of(user: User, agency: Agency) -> bool:
    """An active member of `agency` whose role there lets them work on cases (cases.edit)."""
    if not user.is_active:
        return False
    return user.memberships.filter(
        agency=agency,
        agency__is_active=True,
        is_active=True,
        role__in=[role for role, perms in ROLE_PERMISSIONS.items() if "cases.edit" in perms],
    ).exists()
