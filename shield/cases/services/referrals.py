"""Opening a case at a receiving agency on behalf of the officer who refers the person to it.

Frontline officers (a border-gate screening, a hotline tip) meet possible victims but do not manage
cases: they hold no `cases.edit`, and `case_open` lets only an agency's own case workers open its
cases. A referral is the one way they start a case, under this rule:

- the actor holds `cases.refer` (frontline officers, case workers and supervisors do);
- the person is one the actor may see in the registry (they usually registered them just now);
- the receiving agency is active and has at least one active member who may work on cases
  (`cases.edit`), so the case lands where someone can act on it;
- the case is owned by the receiving agency, starts `registered` and moves at once to
  `undergoing_identification` through the stage machine (Law 53/2024: a person undergoing
  identification already receives protection), both steps in its timeline and the audit log.

The referring officer gets no access to the case: what they recorded stays with them (the
screening, the tip), and the receiving agency decides the rest. Callers (shield.intake) run this
inside their own transaction, so a failure anywhere leaves no case behind.
"""

import datetime
from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.cases.models import Case, CaseType, RiskLevel, Stage
from shield.cases.services.lifecycle import move, register_case
from shield.core.access import AccessSubject
from shield.core.errors import PermissionRefused
from shield.people import selectors as people_selectors
from shield.people.models import Person

REFER = "cases.refer"


def agency_takes_referrals(agency: Agency) -> bool:
    """Active, with at least one active member whose role may work on cases."""
    if not agency.is_active:
        return False
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if "cases.edit" in perms]
    return Membership.objects.filter(
        agency=agency, is_active=True, user__is_active=True, role__in=roles
    ).exists()


@transaction.atomic
def case_open_on_referral(
    *,
    actor: User,
    person: Person,
    receiving_agency: Agency,
    reported_at: datetime.datetime,
    reason: str,
    risk_level: str = RiskLevel.HIGH,
    case_type: str = CaseType.UNDERGOING_IDENTIFICATION,
) -> Case:
    """Open a case for `person` owned by `receiving_agency`, at the stage "undergoing identification".

    `reported_at` is when the person was met (the screening's start, the tip's receipt): the
    initial-verification deadline runs from it. `reason` names the source for the timeline.
    """
    if not actor.has_perm(REFER):
        raise PermissionRefused(_("Your role may not refer people to other agencies."))
    # NotFound for a person outside the actor's reach, as for every other write.
    person = people_selectors.person_get_for(user=cast(AccessSubject, actor), person_id=person.pk)
    errors: dict[str, list[str]] = {}
    if not agency_takes_referrals(receiving_agency):
        errors["receiving_agency"] = [_("This agency cannot take referrals: it has no active case worker.")]
    case = register_case(
        actor=actor,
        person=person,
        case_type=case_type,
        owner_agency=receiving_agency,
        reported_at=reported_at,
        risk_level=risk_level,
        errors=errors,
        reason=reason,
    )
    # At the moment of opening: the timeline reads "registered, then at once under identification".
    move(actor=actor, case=case, to_stage=Stage.UNDERGOING_IDENTIFICATION, reason=reason, at=case.opened_at)
    return case
