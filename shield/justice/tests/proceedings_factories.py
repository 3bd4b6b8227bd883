"""Factories for proceedings and parties, shared by the justice parts' tests.

Everything goes through the services (references, holdings, audit and access as in production):
`desk()` builds a justice officer's agency (police investigation body by default) with an officer;
`open_proceeding()` opens a proceeding there; `party()` adds a registry person as a party (a child
unless a birth date says otherwise); `assign()` assigns an officer (who then sees children's names).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member
from shield.cases.models import Case
from shield.justice.models import HoldingRole, JusticeAssignment, Party, PartyRole, Proceeding, ProceedingKind
from shield.justice.proceedings import services
from shield.people.models import Person
from shield.people.tests import factories as people_factories

AGENCY_KIND_OF_ROLE = {
    HoldingRole.INVESTIGATION: AgencyKind.POLICE_PROVINCIAL,
    HoldingRole.PROCURACY: AgencyKind.PROCURACY,
    HoldingRole.COURT: AgencyKind.COURT,
    HoldingRole.ENFORCEMENT: AgencyKind.POLICE_PROVINCIAL,
}


@dataclass
class Desk:
    """A justice agency with one justice officer (agency scope)."""

    agency: Agency
    officer: User
    role: str


def desk(
    role: str = HoldingRole.INVESTIGATION, *, agency: Agency | None = None, **agency_fields: Any
) -> Desk:
    chosen = agency or AgencyFactory.create(kind=AGENCY_KIND_OF_ROLE[HoldingRole(role)], **agency_fields)
    return Desk(
        agency=chosen, officer=member(Role.JUSTICE_OFFICER, agency=chosen, scope=Scope.AGENCY), role=role
    )


def open_proceeding(
    *,
    at: Desk | None = None,
    offence_codes: tuple[str, ...] = ("BLHS-150",),
    kind: str = ProceedingKind.CRIMINAL,
    reported_at: datetime.datetime | None = None,
    **fields: Any,
) -> Proceeding:
    """A proceeding opened by the desk's officer (a new police desk unless given), reported a
    month ago unless `reported_at` says otherwise."""
    d = at or desk()
    return services.proceeding_open(
        actor=d.officer,
        kind=kind,
        offence_codes=offence_codes,
        holding_agency=d.agency,
        holding_role=d.role,
        reported_at=reported_at or timezone.now() - datetime.timedelta(days=30),
        **fields,
    )


def person(
    *, agency: Agency, birth_date: datetime.date | None = None, full_name: str = "Trần Thị Lan", **fields: Any
) -> Person:
    """A registry person owned by `agency` (so its justice officers see them). Born 12 years ago
    unless `birth_date` (or other birth fields) say otherwise."""
    if fields.get("birth_date_precision") == "unknown":
        fields["birth_date"] = None
    else:
        twelve = timezone.localdate().replace(day=1)
        fields["birth_date"] = birth_date or twelve.replace(year=twelve.year - 12)
    return people_factories.person(owner_agency=agency, full_name=full_name, **fields)


def party(
    proceeding: Proceeding,
    *,
    actor: User | None = None,
    role: str = PartyRole.VICTIM,
    who: Person | None = None,
    event_on: datetime.date | None = None,
    protection_case: Case | None = None,
    **person_fields: Any,
) -> Party:
    """A party added by `actor` (the proceeding's opener unless given): a new child unless `who`."""
    by = actor or proceeding.created_by
    subject = who or person(agency=proceeding.holding_agency, **person_fields)
    return services.party_add(
        actor=by,
        proceeding=proceeding,
        person=subject,
        role=role,
        event_on=event_on or timezone.localdate() - datetime.timedelta(days=40),
        protection_case=protection_case,
        **({"family_matter": "custody"} if role == PartyRole.CHILD_IN_FAMILY_MATTER else {}),
    )


def assign(proceeding: Proceeding, officer: User, *, by: User | None = None) -> JusticeAssignment:
    return services.officer_assign(actor=by or proceeding.created_by, proceeding=proceeding, officer=officer)
