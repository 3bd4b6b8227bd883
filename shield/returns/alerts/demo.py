"""Demo data of the alerts part: one returnee met again at a border gate.

Takes the first received return of the demo (the reception part's), else records one for a person
of the Hà Nội centre; then a routine screening at Móng Cái completed through the intake services is
linked to that person, and the alert is raised through `services.alert_detect` (as the live receiver
would once the screening's transaction commits).
"""

import datetime
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from shield.accounts.models import User
from shield.intake import services as intake_services
from shield.intake.models import Screening
from shield.intake.risk import Outcome
from shield.people.models import Person
from shield.returns.alerts import services
from shield.returns.models import (
    ReintegrationPlan,
    Return,
    ReturnChannel,
    ReturnHow,
    ReturnStatus,
    RevictimisationAlert,
)

DEMO_REFERENCE = "RET-DEMO-ALERT-0001"


def _a_return() -> Return | None:
    found = (
        Return.objects.filter(status=ReturnStatus.RECEIVED, plans__isnull=False)
        .order_by("returned_on", "reference")
        .first()
    ) or Return.objects.filter(status=ReturnStatus.RECEIVED).order_by("returned_on", "reference").first()
    if found is not None:
        return found
    worker = User.objects.filter(username="cw.hanoi").first()
    if worker is None or worker.primary_agency is None:
        return None
    person = Person.objects.filter(owner_agency=worker.primary_agency).order_by("name_folded", "id").first()
    if person is None:
        return None
    returned_on = timezone.localdate() - datetime.timedelta(days=150)
    back = Return.objects.create(
        reference=DEMO_REFERENCE,
        person=person,
        agency=worker.primary_agency,
        country="CN",
        how=ReturnHow.HANDED_OVER,
        channel=ReturnChannel.BILATERAL,
        status=ReturnStatus.RECEIVED,
        returned_on=returned_on,
        created_by=worker,
    )
    ReintegrationPlan.objects.create(
        person=person,
        agency=worker.primary_agency,
        worker=worker,
        created_by=worker,
        return_record=back,
        schedule_code="default",
        starts_on=returned_on,
    )
    return back


@transaction.atomic
def load(*, options: dict[str, Any], out: TextIO) -> None:
    if RevictimisationAlert.objects.exists():
        out.write("Alerts: re-victimisation alerts already loaded.\n")
        return
    officer = User.objects.filter(username="bg.mongcai").first()
    back = _a_return()
    if officer is None or back is None:
        out.write("Alerts: no officer at Móng Cái or no return to meet again; skipped.\n")
        return
    draft = intake_services.screening_start(actor=officer)
    draft = intake_services.screening_save_draft(
        actor=officer,
        screening=draft,
        expected_version=draft.version,
        data={
            "traveller_name": back.person.full_name,
            "traveller_sex": back.person.sex,
            "purpose": "tourism",
        },
    )
    done = intake_services.screening_complete(
        actor=officer, screening=draft, expected_version=draft.version, outcome=Outcome.NO_CONCERN
    )
    # The officer's identity check found the returnee in the registry: the screening names them.
    Screening.objects.filter(pk=done.pk).update(person=back.person)
    done.refresh_from_db()
    alert = services.alert_detect(meeting=services.meeting_of_screening(done))
    raised = 1 if alert is not None else 0
    out.write(
        f"Alerts: {raised} returnee met again at a border gate (return {back.reference}); "
        "see /returns/alerts/ as the case owner.\n"
    )
