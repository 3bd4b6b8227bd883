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


Provider = Callable[[AccessSubject, Sequence[Person]], dict[uuid.UUID, list[PersonNotice]]]

_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    _providers[key] = provider


def unregister(key: str) -> None:
    _providers.pop(key, None)


def notices_for(user: AccessSubject, persons: Sequence[Person]) -> dict[uuid.UUID, list[PersonNotice]]:
    found: dict[uuid.UUID, list[PersonNotice]] = {}
    if not persons:
        return found
    for key in sorted(_providers):
        for person_id, items in _providers[key](user, persons).items():
            found.setdefault(person_id, []).extend(items)
    return found
