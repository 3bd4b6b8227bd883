"""Reading one record by the id a user sent."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from shield.core import request_context
from shield.core.errors import NotFound

M = TypeVar("M", bound=Model)


def one_or_not_found(queryset: QuerySet[M], pk: object) -> M:
    """The record of `queryset` with this primary key, else NotFound.

    `queryset` already carries the user's access filter, so a missing record, one outside the
    user's reach and a malformed id (not a UUID) all answer the same: nobody can probe for what
    exists. A record that exists outside the reach is noted for the audit (`note_out_of_reach`).
    """
    try:
        found = queryset.filter(pk=pk).first()
    except (ValueError, ValidationError):
        raise NotFound() from None
    if found is None:
        note_out_of_reach(queryset.model, pk)
        raise NotFound()
    return found


def note_out_of_reach(model: type[Model], pk: object) -> None:
    """Note, for the current request's audit, that it asked for this record if it exists.

    Only records that exist: ids are random UUIDs, so a made-up id finds nothing and tells nothing,
    while a real id of a record outside one's reach was learnt somewhere (an export, a shared
    link, a colleague's screen) and is what an auditor wants to see. Outside a request (a command,
    a task) there is nobody to attribute it to. The one extra query runs only on this refusal.
    """
    context = request_context.current()
    if context is None:
        return
    try:
        existing = model._base_manager.filter(pk=pk).values_list("pk", flat=True).first()
    except (ValueError, ValidationError):
        return
    if existing is not None:
        context.out_of_reach.append((model._meta.label_lower, str(existing)))


def reached_otherwise(model: type[Model], pk: object) -> None:
    """Withdraw the note of a refusal that a caller overrode by another rule of access (a person
    the registry does not show, reached through a case the user can see)."""
    context = request_context.current()
    if context is None:
        return
    label = model._meta.label_lower
    context.out_of_reach[:] = [hit for hit in context.out_of_reach if hit != (label, str(pk))]
