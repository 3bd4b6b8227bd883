"""What linkage tells the people pages about a person: "merged into …" (through people's hook)."""

import uuid
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from shield.core.access import AccessSubject
from shield.linkage.models import PersonMerge
from shield.people import merged, notices
from shield.people.models import Person


def merge_notices(
    user: AccessSubject, persons: Sequence[Person]
) -> dict[uuid.UUID, list[notices.PersonNotice]]:
    """One query for a page of persons: those merged into another record say so, with a link."""
    merges = PersonMerge.objects.filter(
        merged__in=[p.pk for p in persons], unmerged_at__isnull=True
    ).values_list("merged_id", "survivor_id")
    return {
        merged_id: [
            notices.PersonNotice(
                text=_("This record was merged into another record of the same person."),
                url=reverse("people:person_detail", args=[survivor_id]),
                link_text=_("Open the kept record"),
                superseded=True,
            )
        ]
        for merged_id, survivor_id in merges
    }


def survivor_of(person_id: uuid.UUID) -> uuid.UUID | None:
    """The record `person_id` is merged into now, for people's read-only guard."""
    return (
        PersonMerge.objects.filter(merged_id=person_id, unmerged_at__isnull=True)
        .values_list("survivor_id", flat=True)
        .first()
    )


def register() -> None:
    notices.register("linkage.merged", merge_notices)
    merged.register("linkage.merged", survivor_of)
