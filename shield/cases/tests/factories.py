"""Factories for cases. Cases are opened through the service (so references, audit and access are
what production does); `put_at` then places a case at any stage with what that stage presupposes,
for tests of later steps."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member
from shield.cases import services
from shield.cases.models import (
    Assessment,
    AssessmentNeed,
    CarePlan,
    CarePlanAction,
    CarePlanGoal,
    CarePlanStatus,
    Case,
    CaseType,
    IdentificationDecision,
    IdentificationStatus,
    NeedDomain,
    NeedLevel,
    Stage,
)
from shield.people.models import Person
from shield.people.tests import factories as people_factories


@dataclass
class Team:
    """An agency with a case worker and a supervisor (agency scope)."""

    agency: Agency
    worker: User
    supervisor: User


def team(agency: Agency | None = None, **agency_fields: Any) -> Team:
    chosen: Agency = agency or AgencyFactory.create(**agency_fields)
    return Team(
        agency=chosen,
        worker=member(Role.CASE_WORKER, agency=chosen),
        supervisor=member(Role.SUPERVISOR, agency=chosen),
    )


def person(*, actor: User, **fields: Any) -> Person:
    return people_factories.person(actor=actor, owner_agency=actor.primary_agency, **fields)


def open_case(
    *,
    actor: User | None = None,
    agency: Agency | None = None,
    person_: Person | None = None,
    case_type: str = CaseType.TRAFFICKING_VICTIM,
    **fields: Any,
) -> Case:
    """A case opened by `actor` (a new case worker of `agency` unless given) for a new person."""
    if actor is None:
        actor = member(Role.CASE_WORKER, agency=agency or AgencyFactory.create())
    agency = agency or actor.primary_agency
    assert agency is not None
    subject = person_ or people_factories.person(actor=actor, owner_agency=agency)
    return services.case_open(actor=actor, person=subject, case_type=case_type, owner_agency=agency, **fields)


def decision(
    case: Case, status: str = IdentificationStatus.IDENTIFIED, *, by: User | None = None
) -> IdentificationDecision:
    """An identification decision written directly (no stage change): for setting up guards."""
    return IdentificationDecision.objects.create(
        case=case,
        status=status,
        body_name="Công an tỉnh",
        body_type=AgencyKind.POLICE_PROVINCIAL,
        decided_on=timezone.localdate(),
        basis="Verified statements",
        recorded_by=by or case.created_by,
    )


def assessment(case: Case, *, by: User | None = None) -> Assessment:
    made = Assessment.objects.create(
        case=case, assessed_on=timezone.localdate(), assessed_by=by or case.created_by
    )
    AssessmentNeed.objects.create(assessment=made, domain=NeedDomain.SAFETY, level=NeedLevel.HIGH)
    return made


def approved_plan(
    case: Case,
    *,
    by: User | None = None,
    due_on: datetime.date | None = None,
    responsible: User | None = None,
) -> CarePlan:
    """An approved plan with one goal and one open action (due in a week unless `due_on`)."""
    author = by or case.created_by
    plan = CarePlan.objects.create(
        case=case,
        status=CarePlanStatus.APPROVED,
        created_by=author,
        submitted_by=author,
        submitted_at=timezone.now(),
        approved_by=author,
        approved_at=timezone.now(),
    )
    goal = CarePlanGoal.objects.create(plan=plan, domain=NeedDomain.SAFETY, description="Safe housing")
    CarePlanAction.objects.create(
        goal=goal,
        description="Find a shelter place",
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=7),
        responsible_person=responsible or case.assigned_worker or author,
    )
    return plan


def put_at(case: Case, stage: str, *, prerequisites: bool = True) -> Case:
    """Place the case at `stage` directly (tests only), with what the stages before it leave behind:
    an identification decision, an assessment, an approved plan as the stage implies."""
    stage = Stage(stage)
    if prerequisites:
        if stage == Stage.NOT_A_VICTIM:
            decision(case, IdentificationStatus.NOT_A_VICTIM)
        elif stage not in (Stage.REGISTERED, Stage.UNDERGOING_IDENTIFICATION):
            decision(case, IdentificationStatus.IDENTIFIED)
        if stage in (Stage.CARE_PLAN, Stage.SERVICES, Stage.REINTEGRATION, Stage.CLOSED, Stage.REOPENED):
            assessment(case)
        if stage in (Stage.SERVICES, Stage.REINTEGRATION, Stage.CLOSED, Stage.REOPENED):
            approved_plan(case)
    closed_at = timezone.now() if stage == Stage.CLOSED else None
    Case.objects.filter(pk=case.pk).update(stage=stage, closed_at=closed_at)
    case.refresh_from_db()
    return case


def supervisor_of(agency: Agency, scope: str = Scope.AGENCY) -> User:
    return member(Role.SUPERVISOR, agency=agency, scope=scope)


def raw_value(model: type[Any], column: str, pk: Any) -> Any:
    """A column as the database stores it (no from_db_value): for encryption-at-rest checks."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    key = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [key],
        )
        row = cursor.fetchone()
    assert row is not None
    return row[0]
