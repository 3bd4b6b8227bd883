"""Demo data of the followup part: two reintegration plans of the Hà Nội centre's worker, one with
its 1- and 3-month follow-ups done (scored) and the 6-month one due, one with its first follow-up
overdue. Written through the services; a person who already has a plan is left alone (idempotent)."""

import datetime
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from shield.accounts.models import User
from shield.people.models import Person
from shield.returns.followup import services
from shield.returns.models import ReintegrationPlan

GOOD = {"income": "partly", "work": "irregular", "debt": "some", "housing": "yes", "services": "partly",
        "community": "sometimes", "wellbeing": "fair", "safety": "yes", "stigma": "sometimes"}  # fmt: skip
BETTER = dict(GOOD, income="yes", work="yes", wellbeing="good", stigma="never")


@transaction.atomic
def load(*, options: dict[str, Any], out: TextIO) -> None:
    worker = User.objects.filter(username="cw.hanoi").first()
    if worker is None or worker.primary_agency is None:
        out.write("Follow-up demo skipped: no Hà Nội case worker.\n")
        return
    agency = worker.primary_agency
    persons = list(Person.objects.filter(owner_agency=agency).order_by("name_folded", "id")[:2])
    today = timezone.localdate()
    made = 0
    for person, days_ago in zip(persons, (200, 45), strict=False):
        if ReintegrationPlan.objects.filter(person=person).exists():
            continue
        plan = services.plan_create(
            actor=worker,
            person=person,
            agency=agency,
            worker=worker,
            starts_on=today - datetime.timedelta(days=days_ago),
            goals="Vocational training and a small business grant; family mediation.",
        )
        made += 1
        if days_ago < 100:
            continue
        for followup, answers in zip(plan.followups.order_by("sequence")[:2], (GOOD, BETTER), strict=True):
            services.followup_record(
                actor=worker,
                followup=followup,
                version=followup.version,
                done_on=min(followup.due_on + datetime.timedelta(days=2), today),
                contact_made=True,
                answers=answers,
            )
    out.write(f"{made} reintegration plan(s) with follow-ups.\n")
