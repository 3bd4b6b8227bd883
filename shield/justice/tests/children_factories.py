"""Factories for the children part's tests: proceedings, parties and assignments written directly
(a stand-in with the names of the proceedings part's `proceedings_factories`: desk, open_proceeding,
party, assign — switch to those at merge), then interviews and diversions through the services."""

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member
from shield.justice.children import services
from shield.justice.models import (
    HoldingRole,
    Interview,
    JusticeAssignment,
    Party,
    PartyRole,
    Proceeding,
    ProceedingHolding,
    ProceedingKind,
    ProceedingOffence,
)
from shield.people.models import Person
from shield.people.tests import factories as people_factories

_numbers = itertools.count(1)


@dataclass
class Desk:
    agency: Agency
    officer: User


def desk(*, agency: Agency | None = None, username: str | None = None) -> Desk:
    chosen = agency or AgencyFactory.create(kind=AgencyKind.POLICE_PROVINCIAL)
    extra = {"username": username} if username else {}
    return Desk(
        agency=chosen, officer=member(Role.JUSTICE_OFFICER, agency=chosen, scope=Scope.AGENCY, **extra)
    )


def open_proceeding(*, at: Desk | None = None, offence_codes: tuple[str, ...] = ("BLHS-150",)) -> Proceeding:
    d = at or desk()
    now = timezone.now()
    proceeding = Proceeding.objects.create(
        reference=f"CA-T-{now.year}-{next(_numbers):06d}",
        kind=ProceedingKind.CRIMINAL,
        holding_agency=d.agency,
        holding_role=HoldingRole.INVESTIGATION,
        reported_at=now - datetime.timedelta(days=30),
        created_by=d.officer,
    )
    ProceedingHolding.objects.create(
        proceeding=proceeding,
        agency=d.agency,
        role=HoldingRole.INVESTIGATION,
        started_at=proceeding.reported_at,
    )
    for code in offence_codes:
        ProceedingOffence.objects.create(proceeding=proceeding, code=code)
    return proceeding


def person(
    *, agency: Agency, birth_date: datetime.date | None = None, full_name: str = "Trần Thị Lan", **fields: Any
) -> Person:
    if birth_date is not None:
        fields["birth_date"] = birth_date
    elif "birth_date_precision" not in fields:
        fields["birth_date"] = timezone.localdate().replace(year=timezone.localdate().year - 12, day=1)
    return people_factories.person(owner_agency=agency, full_name=full_name, **fields)


def party(
    proceeding: Proceeding,
    *,
    role: str = PartyRole.WITNESS,
    who: Person | None = None,
    event_on: datetime.date | None = None,
    is_child: bool = True,
    **person_fields: Any,
) -> Party:
    subject = who or person(agency=proceeding.holding_agency, **person_fields)
    return Party.objects.create(
        proceeding=proceeding,
        person=subject,
        role=role,
        event_on=event_on or timezone.localdate() - datetime.timedelta(days=40),
        is_child=is_child,
    )


def assign(proceeding: Proceeding, officer: User) -> JusticeAssignment:
    return JusticeAssignment.objects.create(
        proceeding=proceeding,
        officer=officer,
        agency=proceeding.holding_agency,
        assigned_by=proceeding.created_by,
    )


def at_local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


def interview(
    party_: Party,
    *,
    actor: User,
    start: datetime.datetime,
    minutes: int = 60,
    **fields: Any,
) -> Interview:
    values: dict[str, Any] = {
        "kind": "interview" if party_.role not in ("suspect", "accused", "defendant") else "interrogation",
        "place_type": "child_friendly_room",
        "child_friendly_room": True,
        "representative_present": True,
        "social_worker_present": True,
    }
    values.update(fields)
    return services.interview_record(
        actor=actor,
        party=party_,
        started_at=start,
        ended_at=start + datetime.timedelta(minutes=minutes),
        **values,
    )
