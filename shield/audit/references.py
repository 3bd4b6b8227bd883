"""What an audit event is about, in words an auditor reads: the object's type and its reference.

Events store `object_type` as a model label (`cases.case`) and `object_id` as text. The list shows
the model's verbose name instead (`Case`, translated) and a reference (a case number, a masked
person) that links to the object's page when the viewer may open it.

Audit sits below every app that owns such objects, so each app registers a resolver for its types
(in its AppConfig.ready). A resolver answers for all the ids of one type at once, in a fixed number
of queries: the list's query count grows with the number of types on a page, never with its rows.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.apps import apps
from django.urls import reverse
from django.utils.text import capfirst

from shield.core.access import AccessSubject


@dataclass(frozen=True)
class Reference:
    text: str
    url: str = ""
    """Empty when the viewer may not open the object (or it has no page)."""


Resolver = Callable[[AccessSubject, Sequence[str]], Mapping[str, Reference]]

_resolvers: dict[str, Resolver] = {}


def register(object_type: str, resolver: Resolver) -> None:
    """Answer for `object_type` (a lower-case model label) with `resolver(user, ids)`."""
    _resolvers[object_type.lower()] = resolver


def type_label(object_type: str) -> str:
    """The model's verbose name (`Care plan`), or the stored label when no model has it (any more)."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(capfirst(model._meta.verbose_name))


def uuids(ids: Iterable[str]) -> dict[str, uuid.UUID]:
    """The ids that are UUIDs, by their stored text: resolvers look up only these."""
    found = {}
    for text in ids:
        try:
            found[text] = uuid.UUID(text)
        except ValueError:
            continue
    return found


class _Typed(Protocol):
    """What `resolve` reads from an event."""

    @property
    def object_type(self) -> str: ...

    @property
    def object_id(self) -> str: ...


def resolve(*, user: AccessSubject, events: Iterable[_Typed]) -> dict[tuple[str, str], Reference]:
    """The reference of every (type, id) among `events` that its type's resolver knows."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_type in _resolvers and event.object_id:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    found: dict[tuple[str, str], Reference] = {}
    for object_type, ids in wanted.items():
        for object_id, reference in _resolvers[object_type](user, sorted(ids)).items():
            found[(object_type, object_id)] = reference
    return found


def _events(user: AccessSubject, ids: Sequence[str]) -> Mapping[str, Reference]:
    # An event about another event (an auditor's read of it): its number, linked when in reach.
    from shield.audit.models import AuditEvent
    from shield.audit.selectors import event_list_for

    wanted = list(uuids(ids).values())
    reached = set(event_list_for(user=user).filter(pk__in=wanted).values_list("pk", flat=True))
    return {
        str(pk): Reference(f"#{sequence}", reverse("audit:event_detail", args=[pk]) if pk in reached else "")
        for pk, sequence in AuditEvent.objects.filter(pk__in=wanted).values_list("pk", "sequence")
    }


def register_own() -> None:
    register("audit.auditevent", _events)
