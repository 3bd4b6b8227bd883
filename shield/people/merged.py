"""A person merged into another is read-only: every write names the kept record instead.

Merges are linkage's business and people cannot import linkage (it sits above), so linkage
registers a lookup here in its AppConfig.ready(); without one (linkage not installed) nobody is
merged away.
"""

import uuid
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from shield.core.errors import InvalidTransition
from shield.people.models import Person

# Given a person's id, the id of the record it was merged into (None when it stands on its own).
SurvivorLookup = Callable[[uuid.UUID], uuid.UUID | None]

_lookups: dict[str, SurvivorLookup] = {}


class PersonMergedAway(InvalidTransition):
    """A write to a record that was merged into another: it belongs on the kept record."""

    default_message = _("This record was merged into another record of the same person.")

    def __init__(self, survivor_id: uuid.UUID) -> None:
        self.survivor_id = survivor_id
        super().__init__(
            _(
                "This record was merged into another record of the same person (%(survivor)s) and can "
                "no longer be changed. Make the change on the kept record."
            )
            % {"survivor": survivor_id}
        )


def register(key: str, lookup: SurvivorLookup) -> None:
    _lookups[key] = lookup


def unregister(key: str) -> None:
    _lookups.pop(key, None)


def survivor_of(person_id: uuid.UUID) -> uuid.UUID | None:
    for key in sorted(_lookups):
        survivor = _lookups[key](person_id)
        if survivor is not None:
            return survivor
    return None


def refuse_if_merged(person: Person) -> None:
    """Raise PersonMergedAway when `person` was merged into another record (and not unmerged)."""
    survivor = survivor_of(person.pk)
    if survivor is not None:
        raise PersonMergedAway(survivor)
