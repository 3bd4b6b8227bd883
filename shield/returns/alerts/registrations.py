"""What the alerts part plugs into other apps at start-up: the live receivers and the home queue.

Live paths (post_save, acting once the saving transaction commits): a screening saved completed
with a person, a tip saved with a person, a person placed in an individual (`PersonIndividual`
saved one at a time: a reviewer's "same person" decision, a merge). Bulk writes send no signals
(a linkage run's `bulk_create`/`bulk_update`): `manage.py detect_revictimisation` sweeps those.
The lower apps know nothing of this.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.intake.models import Screening, Tip
from shield.linkage.models import PersonIndividual
from shield.notifications import worklists
from shield.returns.alerts import selectors, services
from shield.returns.models import RevictimisationAlert

QUEUE_KEY = "returns_met_again"


def _on_screening_saved(
    sender: type[Screening], instance: Screening, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    meeting = services.meeting_of_screening(instance)
    if meeting is not None:
        transaction.on_commit(lambda: services.alert_detect(meeting=meeting), robust=True)


def _on_tip_saved(sender: type[Tip], instance: Tip, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    meeting = services.meeting_of_tip(instance)
    if meeting is not None:
        transaction.on_commit(lambda: services.alert_detect(meeting=meeting), robust=True)


def _on_person_placed(
    sender: type[PersonIndividual], instance: PersonIndividual, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    person_id = instance.person_id
    transaction.on_commit(lambda: services.alert_detect_for_individual_of(person_id=person_id), robust=True)


def met_again(user: User) -> QuerySet[RevictimisationAlert]:
    return selectors.open_for(user)


def register() -> None:
    post_save.connect(_on_screening_saved, sender=Screening, dispatch_uid="returns_alerts_screening")
    post_save.connect(_on_tip_saved, sender=Tip, dispatch_uid="returns_alerts_tip")
    post_save.connect(_on_person_placed, sender=PersonIndividual, dispatch_uid="returns_alerts_individual")
    worklists.register(
        worklists.Worklist(
            key=QUEUE_KEY,
            title=_("Returnees met again"),
            items=met_again,
            url_name="returns:alert_list",
            query="acknowledged=no",
            permission=selectors.FOLLOW_UP,
            order=45,
        )
    )
