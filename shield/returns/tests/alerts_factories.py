"""Records for the alert tests: a returnee of one agency, their return and plan, a gate that meets
them again. Returns and plans are built directly from the models (their parts are built elsewhere)."""

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.cases.tests.factories import open_case
from shield.intake import services as intake_services
from shield.intake.models import Screening, Tip
from shield.intake.risk import Outcome
from shield.intake.tests.factories import Gate, draft, gate_post
from shield.linkage.models import Individual, PersonIndividual
from shield.people.models import Person
from shield.people.tests.factories import person as new_person
from shield.returns.models import ReintegrationPlan, Return, ReturnChannel, ReturnHow, ReturnStatus

_numbers = itertools.count(1)
RETURNEE = "Lò Thị Mai"


@dataclass
class World:
    agency: Agency
    worker: User
    supervisor: User
    returnee: Person
    return_record: Return
    plan: ReintegrationPlan
    gate: Gate


def received_return(person: Person, *, agency: Agency, by: User, days_ago: int = 60, **fields: Any) -> Return:
    number = next(_numbers)
    values: dict[str, Any] = {
        "reference": f"RET-TEST-{number:06d}",
        "person": person,
        "agency": agency,
        "country": "CN",
        "how": ReturnHow.HANDED_OVER,
        "channel": ReturnChannel.BILATERAL,
        "status": ReturnStatus.RECEIVED,
        "returned_on": timezone.localdate() - datetime.timedelta(days=days_ago),
        "created_by": by,
    }
    values.update(fields)
    return Return.objects.create(**values)


def plan_for(
    person: Person, *, agency: Agency, worker: User, days_ago: int = 50, **fields: Any
) -> ReintegrationPlan:
    values: dict[str, Any] = {
        "person": person,
        "agency": agency,
        "worker": worker,
        "created_by": worker,
        "schedule_code": "default",
        "starts_on": timezone.localdate() - datetime.timedelta(days=days_ago),
    }
    values.update(fields)
    return ReintegrationPlan.objects.create(**values)


def world(*, with_plan: bool = True, gate_code: str = "lao-cai") -> World:
    agency = AgencyFactory.create(name_en="Lào Cai Social Protection Centre")
    worker = member(Role.CASE_WORKER, agency=agency)
    supervisor = member(Role.SUPERVISOR, agency=agency)
    returnee = new_person(full_name=RETURNEE, owner_agency=agency, actor=worker)
    case = open_case(actor=worker, agency=agency, person_=returnee)
    if case.assigned_worker_id != worker.pk:
        case.assigned_worker = worker
        case.save(update_fields=["assigned_worker"])
    back = received_return(returnee, agency=agency, by=worker, case=case)
    plan = plan_for(returnee, agency=agency, worker=worker, return_record=back) if with_plan else None
    gate = gate_post(gate_code, name_en="Border Guard post")
    return World(agency, worker, supervisor, returnee, back, plan, gate)  # type: ignore[arg-type]


def individual_of(*persons: Person) -> Individual:
    """Place the persons in one new individual, row by row (post_save fires, as a reviewer's join)."""
    number = 900_000 + next(_numbers)
    individual = Individual.objects.create(number=number, code=Individual.code_for(number))
    for one in persons:
        PersonIndividual.objects.update_or_create(person=one, defaults={"individual": individual})
    return individual


def screened(gate: Gate, person: Person, **fields: Any) -> Screening:
    """A completed screening at the gate that names `person` (as a link made after the fact)."""
    screening = draft(gate.officer, traveller_name="Traveller ABC", purpose="tourism")
    done = intake_services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=screening.version,
        outcome=Outcome.NO_CONCERN,
    )
    done.person = person
    for name, value in fields.items():
        setattr(done, name, value)
    done.save(update_fields=["person", *fields])
    return done


def tipped(actor: User, person: Person) -> Tip:
    tip = intake_services.tip_record(actor=actor, channel="hotline", description="Secret tip text XYZ")
    tip.person = person
    tip.save(update_fields=["person"])
    return tip
