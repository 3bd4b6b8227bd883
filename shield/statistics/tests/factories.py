"""Test data for counting: victims with cases, identification decisions and details, linkage
individuals and review pairs, written the way the apps write them (services where they exist)."""

import datetime
import itertools
from typing import Any

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member
from shield.cases import services as case_services
from shield.cases.models import (
    Case,
    CaseType,
    IdentificationDecision,
    IdentificationStatus,
    TraffickingDetails,
)
from shield.geo.models import Province
from shield.linkage.models import Individual, LinkageRun, PairStatus, PersonIndividual, ReviewPair, RunStatus
from shield.people import services as people_services
from shield.people.models import Person

_numbers = itertools.count(1)


def province(codename: str) -> Province:
    return Province.objects.get(codename=codename)


def agency(codename: str = "ha_noi", kind: str = AgencyKind.SOCIAL_PROTECTION) -> Agency:
    return AgencyFactory.create(province=province(codename), kind=kind)


def worker(of: Agency) -> User:
    return member(Role.CASE_WORKER, agency=of)


def statistician() -> User:
    return member(Role.STATISTICIAN, agency=agency(kind=AgencyKind.MINISTRY), scope=Scope.NATIONAL)


def victim(
    *,
    at: Agency,
    decided_on: datetime.date,
    status: str = IdentificationStatus.IDENTIFIED,
    sex: str = "female",
    birth_date: datetime.date | None = datetime.date(1995, 3, 14),
    nationality: str = "VN",
    forms: list[str] | None = None,
    home: str | None = None,
    person: Person | None = None,
    **person_fields: Any,
) -> Case:
    """A case at `at` for a new person (or `person`) with one identification decision."""
    actor = worker(at)
    if person is None:
        person = people_services.person_register(
            actor=actor,
            owner_agency=at,
            full_name=f"Nguyễn Thị Số {next(_numbers)}",
            sex=sex,
            birth_date=birth_date,
            nationality=nationality,
            home_province=province(home) if home else None,
            **person_fields,
        )
    case = case_services.case_open(
        actor=actor, person=person, case_type=CaseType.TRAFFICKING_VICTIM, owner_agency=at
    )
    decide(case, status, decided_on)
    if forms is not None:
        TraffickingDetails.objects.create(case=case, forms_of_exploitation=forms, updated_by=actor)
    return case


def decide(case: Case, status: str, decided_on: datetime.date) -> IdentificationDecision:
    return IdentificationDecision.objects.create(
        case=case,
        status=status,
        body_name="Công an tỉnh",
        body_type=AgencyKind.POLICE_PROVINCIAL,
        decided_on=decided_on,
        basis="Verified statements",
        recorded_by=case.created_by,
    )


def run() -> LinkageRun:
    return LinkageRun.objects.create(status=RunStatus.FINISHED, finished_at=timezone.now(), progress=100)


def same_individual(*persons: Person, by: LinkageRun | None = None) -> Individual:
    """The persons as one individual, as a linkage run would record them."""
    number = next(_numbers) + 1000
    individual = Individual.objects.create(number=number, code=Individual.code_for(number))
    for person in persons:
        PersonIndividual.objects.update_or_create(
            person=person, defaults={"individual": individual, "run": by}
        )
    return individual


def pending_pair(a: Person, b: Person, *, status: str = PairStatus.OPEN) -> ReviewPair:
    low, high = sorted([a, b], key=lambda p: p.pk)
    return ReviewPair.objects.create(
        run=run(),
        person_low=low,
        person_high=high,
        match_probability=0.8,
        match_weight=3.0,
        status=status,
    )
