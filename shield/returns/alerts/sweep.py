"""The sweep behind `manage.py detect_revictimisation`: the meetings the live receivers may miss.

Linkage runs write `PersonIndividual` with `bulk_create`/`bulk_update` and other bulk paths send no
signals, so the sweep looks again at every record naming a returnee's individual that changed in a
window (`since`), and at every record of a person whose individual changed in it. It raises through
`services.alert_detect`, which is idempotent: overlapping windows raise nothing twice.
"""

import datetime
from typing import Any

from django.db.models import Q

from shield.linkage.models import PersonIndividual
from shield.people.models import Person
from shield.returns.alerts import services
from shield.returns.models import ReintegrationPlan, Return, ReturnStatus


def returnee_persons() -> Any:
    """A query of the person records of returnees and of every person of their individuals."""
    returned = Return.objects.filter(status=ReturnStatus.RECEIVED).values("person_id")
    planned = ReintegrationPlan.objects.values("person_id")
    individuals = PersonIndividual.objects.filter(
        Q(person_id__in=returned) | Q(person_id__in=planned)
    ).values("individual_id")
    return Person.objects.filter(
        Q(pk__in=returned)
        | Q(pk__in=planned)
        | Q(pk__in=PersonIndividual.objects.filter(individual_id__in=individuals).values("person_id"))
    ).values("pk")


def sweep(*, since: datetime.datetime | None) -> tuple[int, int]:
    """(meetings looked at, alerts raised) since `since` (None: all time)."""
    persons = returnee_persons()
    if since is None:
        meetings = services.meetings_of_persons(persons)
    else:
        moved = PersonIndividual.objects.filter(person_id__in=persons, updated_at__gte=since).values(
            "person_id"
        )
        meetings = services.meetings_of_persons(persons, since=since) + services.meetings_of_persons(moved)
    return len(meetings), services.alert_detect_many(meetings)
