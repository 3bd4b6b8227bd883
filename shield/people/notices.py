"""Notices other apps show on people's pages (`merged into …`), without people importing them.

An app registers a provider in its AppConfig.ready(): given the user and a page of persons it
returns, per person id, the notices to show. One call per page, so a provider can answer with
one query.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shield.core.access import AccessSubject
from shield.people.models import Person


@dataclass(frozen=True)
class PersonNotice:
    text: str
    url: str = ""
    link_text: str = ""
    # The person is no longer a record of their own (merged into another): lists of look-alikes
    # ("possibly the same person") leave them out, since the record they point to is listed.
    superseded: bool = False


Provider = Callable[[AccessSubject, Sequence[Person]], dict[uuid.UUID, list[PersonNotice]]]

_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    _providers[key] = provider


def unregister(key: str) -> None:
    _providers.pop(key, None)


def superseded_ids(user: AccessSubject, persons: Sequence[Person]) -> set[uuid.UUID]:
    """The persons among `persons` that a notice marks as superseded."""
    return {
        person_id
        for person_id, items in notices_for(user, persons).items()
        if any(item.superseded for item in items)
    }


def notices_for(user: AccessSubject, persons: Sequence[Person]) -> dict[uuid.UUID, list[PersonNotice]]:
    found: dict[uuid.UUID, list[PersonNotice]] = {}
    if not persons:
        return found
    for key in sorted(_providers):
        for person_id, items in _providers[key](user, persons).items():
            found.setdefault(person_id, []).extend(items)
    return found
