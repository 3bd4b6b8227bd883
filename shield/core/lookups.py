"""Reading one record by the id a user sent."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from shield.core.errors import NotFound

M = TypeVar("M", bound=Model)


def one_or_not_found(queryset: QuerySet[M], pk: object) -> M:
    """The record of `queryset` with this primary key, else NotFound.

    `queryset` already carries the user's access filter, so a missing record, one outside the
    user's reach and a malformed id (not a UUID) all answer the same: nobody can probe for what
    exists.
    """
    try:
        found = queryset.filter(pk=pk).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise NotFound()
    return found
