"""Minimal factories for the detention tests: proceedings and parties written straight to the
models (the proceedings part's factories replace these at merge), and detention episodes."""

import datetime
import itertools
from typing import Any

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.justice.models import (
    DetentionEpisode,
    DetentionKind,
    FamilyVisit,
    HoldingRole,
    JusticeAssignment,
    Party,
    PartyRole,
    PlaceKind,
    Proceeding,
    ProceedingHolding,
    ProceedingKind,
)
from shield.people.tests.factories import person

_numbers = itertools.count(1)
CHILD_NAME = "Lê Văn Khánh"


def police_agency(code: str = "01") -> Agency:
    agency: Agency = AgencyFactory.create(kind=AgencyKind.POLICE_PROVINCIAL, province=province(code))
    return agency


def officer(agency: Agency, *, scope: str = Scope.AGENCY, **user: Any) -> User:
    return member(Role.JUSTICE_OFFICER, agency=agency, scope=scope, **user)


def proceeding(*, agency: Agency, actor: User, assigned: list[User] | None = None) -> Proceeding:
    now = timezone.now()
    made = Proceeding.objects.create(
        reference=f"HS-{agency.code}-{next(_numbers):06d}",
        kind=ProceedingKind.CRIMINAL,
        holding_agency=agency,
        holding_role=HoldingRole.INVESTIGATION,
        reported_at=now,
        created_by=actor,
    )
    ProceedingHolding.objects.create(
        proceeding=made, agency=agency, role=HoldingRole.INVESTIGATION, started_at=now
    )
    for user in assigned or []:
        JusticeAssignment.objects.create(proceeding=made, officer=user, agency=agency, assigned_by=actor)
    return made


def party(
    *,
    proceeding: Proceeding,
    full_name: str = CHILD_NAME,
    role: str = PartyRole.ACCUSED,
    is_child: bool = True,
    event_on: datetime.date | None = None,
    birth_date: datetime.date | None = None,
    **fields: Any,
) -> Party:
    who = person(
        full_name=full_name,
        sex="male",
        owner_agency=proceeding.holding_agency,
        birth_date=birth_date or datetime.date(2010, 5, 2),
    )
    return Party.objects.create(
        proceeding=proceeding,
        person=who,
        role=role,
        event_on=event_on or datetime.date(2025, 3, 1),
        is_child=is_child,
        **fields,
    )


def episode(
    *,
    party: Party,
    recorded_by: User,
    kind: str = DetentionKind.TEMPORARY_DETENTION,
    started_on: datetime.date = datetime.date(2025, 3, 2),
    ended_on: datetime.date | None = None,
    separated_from_adults: bool = True,
    place_kind: str = PlaceKind.DETENTION_CENTRE,
    **fields: Any,
) -> DetentionEpisode:
    return DetentionEpisode.objects.create(
        party=party,
        kind=kind,
        place_name="Trại tạm giam Công an tỉnh",
        place_kind=place_kind,
        started_on=started_on,
        ended_on=ended_on,
        separated_from_adults=separated_from_adults,
        agency=party.proceeding.holding_agency,
        recorded_by=recorded_by,
        **fields,
    )


def visit(*, episode: DetentionEpisode, on: datetime.date, by: User) -> FamilyVisit:
    return FamilyVisit.objects.create(episode=episode, visited_on=on, recorded_by=by)
