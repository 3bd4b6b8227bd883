"""Re-victimisation alerts: raising one when a returnee is met again, and acknowledging it.

"Met again" means a later record of the same human being: a completed screening at a border gate
that names the person, a tip linked to the person, or a new person record that linkage puts in the
same `Individual`. Linkage's individual is the identity; a person no run has placed yet is their
own individual. Only records after the return (its `returned_on`) or the plan (its `starts_on`)
count, and the reception screening of the return itself never does.

`alert_detect` is the one entry point: the live receivers (`registrations.py`) and the sweep
(`manage.py detect_revictimisation`) both call it, and it is idempotent — a second call for the
same source record raises nothing (the database holds the rule as well).
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition
from shield.intake.models import Screening, ScreeningStatus, Tip
from shield.linkage.models import Individual, PersonIndividual
from shield.notifications.models import Kind
from shield.notifications.services import members_with, notify
from shield.people.models import Person
from shield.returns.models import (
    MetAgainSource,
    ReceptionMember,
    ReintegrationPlan,
    Return,
    ReturnStatus,
    RevictimisationAlert,
)

SUPERVISE_PERMISSIONS = ("returns.supervise", "cases.supervise")


@dataclass(frozen=True)
class Meeting:
    """A later record that names a person: what kind, which record, when, by which agency."""

    source: str
    source_id: str
    person_id: uuid.UUID
    met_at: datetime.datetime
    agency_id: uuid.UUID


def meeting_of_screening(screening: Screening) -> Meeting | None:
    if screening.person_id is None or screening.status != ScreeningStatus.COMPLETED:
        return None
    return Meeting(
        source=MetAgainSource.SCREENING,
        source_id=str(screening.pk),
        person_id=screening.person_id,
        met_at=screening.started_at,
        agency_id=screening.agency_id,
    )


def meeting_of_tip(tip: Tip) -> Meeting | None:
    if tip.person_id is None:
        return None
    return Meeting(
        source=MetAgainSource.TIP,
        source_id=str(tip.pk),
        person_id=tip.person_id,
        met_at=tip.received_at,
        agency_id=tip.agency_id,
    )


def meeting_of_person(person: Person) -> Meeting:
    return Meeting(
        source=MetAgainSource.REGISTRATION,
        source_id=str(person.pk),
        person_id=person.pk,
        met_at=person.created_at,
        agency_id=person.owner_agency_id,
    )


def _identity(person_id: uuid.UUID) -> tuple[Individual | None, list[uuid.UUID]]:
    """The individual of the person and all its person records; an unplaced person is alone."""
    row = PersonIndividual.objects.filter(person_id=person_id).select_related("individual").first()
    if row is None:
        return None, [person_id]
    persons = list(
        PersonIndividual.objects.filter(individual_id=row.individual_id).values_list("person_id", flat=True)
    )
    return row.individual, persons


def _earlier_records(
    meeting: Meeting, persons: list[uuid.UUID]
) -> tuple[Return | None, ReintegrationPlan | None]:
    """The latest received return and the latest plan of these persons before the meeting's day."""
    day = timezone.localdate(meeting.met_at)
    returns = Return.objects.filter(person_id__in=persons, status=ReturnStatus.RECEIVED, returned_on__lt=day)
    plans = ReintegrationPlan.objects.filter(person_id__in=persons, starts_on__lt=day)
    if meeting.source == MetAgainSource.REGISTRATION:
        # The returnee's own record is not a new registration of them.
        returns = returns.exclude(person_id=meeting.person_id)
        plans = plans.exclude(person_id=meeting.person_id)
    earlier_return = returns.select_related("case").order_by("-returned_on", "-created_at").first()
    plan = plans.select_related("case").order_by("-starts_on", "-created_at").first()
    return earlier_return, plan


def _recipients(earlier_return: Return | None, plan: ReintegrationPlan | None, agency: Agency) -> list[User]:
    people: dict[object, User] = {}
    for worker in (
        plan.worker if plan else None,
        earlier_return.case.assigned_worker if earlier_return and earlier_return.case else None,
    ):
        if worker is not None:
            people[worker.pk] = worker
    for permission in SUPERVISE_PERMISSIONS:
        people.update((u.pk, u) for u in members_with(agency=agency, permission=permission))
    return list(people.values())


def _reference(alert: RevictimisationAlert) -> str:
    if alert.return_record is not None:
        return alert.return_record.reference
    if alert.plan is not None and alert.plan.case is not None:
        return alert.plan.case.reference
    if alert.individual is not None:
        return alert.individual.code
    return "—"


@transaction.atomic
def alert_detect(*, meeting: Meeting | None) -> RevictimisationAlert | None:
    """Raise the alert for this meeting if it meets a returnee again; None when it does not, or
    when it was raised before. Writes the alert, its audit event and the notifications together."""
    if meeting is None:
        return None
    if (
        meeting.source == MetAgainSource.SCREENING
        and ReceptionMember.objects.filter(screening_id=meeting.source_id).exists()
    ):
        return None  # the reception screening of a return is the return itself
    individual, persons = _identity(meeting.person_id)
    already = RevictimisationAlert.objects.filter(source=meeting.source, source_id=meeting.source_id).filter(
        # By the individual, or by its person records: an alert raised before a run placed the
        # person (individual empty) still counts once the person is placed.
        Q(individual=individual) | Q(person_id__in=persons)
        if individual is not None
        else Q(person_id__in=persons)
    )
    if already.exists():
        return None
    earlier_return, plan = _earlier_records(meeting, persons)
    if earlier_return is None and plan is None:
        return None
    owner: User | None
    if plan is not None:
        owner, owner_agency_id, person_id = plan.worker, plan.agency_id, plan.person_id
    else:
        assert earlier_return is not None
        case = earlier_return.case
        owner = case.assigned_worker if case is not None else None
        owner_agency_id, person_id = earlier_return.agency_id, earlier_return.person_id
    alert = RevictimisationAlert(
        individual=individual,
        person_id=person_id,
        return_record=earlier_return,
        plan=plan,
        owner=owner,
        owner_agency_id=owner_agency_id,
        source=meeting.source,
        source_id=meeting.source_id,
        source_agency_id=meeting.agency_id,
        met_at=meeting.met_at,
    )
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return None  # raised at the same moment by another path (the sweep, a second save)
    owner_agency = alert.owner_agency
    audit.record(
        action=AuditAction.CREATE,
        agency=owner_agency,
        obj=alert,
        details={"source": meeting.source, "source_agency": str(meeting.agency_id)},
    )
    notify(
        kind=Kind.RETURNEE_MET_AGAIN,
        url=reverse("returns:alert_detail", args=[alert.pk]),
        params={"source": meeting.source, "reference": _reference(alert)},
        recipients=_recipients(earlier_return, plan, owner_agency),
        target=alert,
    )
    return alert


def meetings_of_persons(ids: Any, *, since: datetime.datetime | None = None) -> list[Meeting]:
    """Every meeting these person records (a list of ids or a query of them) took part in: their
    registration, their completed screenings, the tips naming them; changed since `since` if given."""
    persons = Person.objects.filter(pk__in=ids)
    screenings = Screening.objects.filter(person_id__in=ids, status=ScreeningStatus.COMPLETED)
    tips = Tip.objects.filter(person_id__in=ids)
    if since is not None:
        persons = persons.filter(created_at__gte=since)
        screenings = screenings.filter(updated_at__gte=since)
        tips = tips.filter(updated_at__gte=since)
    found: list[Meeting | None] = [
        meeting_of_person(p) for p in persons.only("pk", "created_at", "owner_agency")
    ]
    found += [
        meeting_of_screening(s) for s in screenings.only("pk", "person", "status", "started_at", "agency")
    ]
    found += [meeting_of_tip(t) for t in tips.only("pk", "person", "received_at", "agency")]
    return [m for m in found if m is not None]


def alert_detect_for_individual_of(*, person_id: uuid.UUID) -> int:
    """A person was placed in an individual (linkage): every record of that individual's persons
    may now meet a returnee of the same individual. Nothing to do when none of them returned."""
    _individual, persons = _identity(person_id)
    returned = Return.objects.filter(person_id__in=persons, status=ReturnStatus.RECEIVED).exists()
    if not returned and not ReintegrationPlan.objects.filter(person_id__in=persons).exists():
        return 0
    return alert_detect_many(meetings_of_persons(persons))


def alert_detect_many(meetings: Iterable[Meeting | None]) -> int:
    """Detect each meeting in its own transaction (one failure does not undo the others)."""
    raised = 0
    for meeting in meetings:
        if alert_detect(meeting=meeting) is not None:
            raised += 1
    return raised


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: RevictimisationAlert, version: int) -> RevictimisationAlert:
    """The owner (or a colleague in scope) has seen the alert and taken it on; audited."""
    if alert.acknowledged_at is not None:
        raise InvalidTransition(_("This alert was already acknowledged."))
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    save_versioned(alert, expected_version=version, fields=["acknowledged_at", "acknowledged_by"])
    audit.record(
        action=AuditAction.TRANSITION,
        actor=actor,
        agency=alert.owner_agency,
        obj=alert,
        changed_fields=["acknowledged_at", "acknowledged_by"],
    )
    return alert
