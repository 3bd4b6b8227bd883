"""Factories for linkage tests: persons recorded twice by different agencies, and pairs to review."""

import datetime
from typing import Any

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.linkage.clusters import pair_key
from shield.linkage.models import LinkageRun, PairStatus, ReviewPair, RunStatus
from shield.people.models import Person
from shield.people.tests import factories as people


def registered(
    full_name: str,
    *,
    agency: Agency,
    number: str = "",
    born: datetime.date | None = datetime.date(1995, 3, 14),
    **fields: Any,
) -> Person:
    actor = member(Role.CASE_WORKER, agency=agency)
    if born is None:
        fields.setdefault("birth_date_precision", "unknown")
    person = people.person(actor=actor, full_name=full_name, birth_date=born, **fields)
    if number:
        people.document(of=person, number=number)
    return person


def supervisor(agency: Agency, *, scope: str = Scope.AGENCY, **user: Any) -> User:
    return member(Role.SUPERVISOR, agency=agency, scope=scope, **user)


def finished_run() -> LinkageRun:
    from django.utils import timezone

    now = timezone.now()
    return LinkageRun.objects.create(status=RunStatus.FINISHED, progress=100, started_at=now, finished_at=now)


def review_pair(
    a: Person, b: Person, *, probability: float = 0.8, run: LinkageRun | None = None
) -> ReviewPair:
    low, high = pair_key(str(a.pk), str(b.pk))
    return ReviewPair.objects.create(
        run=run or finished_run(),
        person_low_id=low,
        person_high_id=high,
        match_probability=probability,
        match_weight=2.0,
        evidence=[
            {"field": "family", "level": "same family name", "weight": 1.2},
            {"field": "given", "level": "same given name, accents included", "weight": 4.5},
            {"field": "birth", "level": "same year, one side partial", "weight": 2.1},
            {"field": "id_number", "level": "missing on one side", "weight": 0.0},
        ],
        status=PairStatus.OPEN,
    )


def home_agency(code: str = "spc-home", province_code: str = "01") -> Agency:
    return AgencyFactory.create(code=code, name_en=f"Agency {code}", province=province(province_code))
