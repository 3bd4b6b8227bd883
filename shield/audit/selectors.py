"""Reads of audit events, limited to what the viewer's memberships reach."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from shield.audit import search_terms
from shield.audit.models import AuditEvent, ChainVerification
from shield.core.access import AccessSubject
from shield.core.lookups import one_or_not_found

VIEW_PERMISSION = "audit.view_events"


@dataclass(frozen=True)
class EventFilters:
    """What an auditor narrows the log by; empty values do not filter."""

    actor: str = ""
    agency_id: uuid.UUID | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    search_term: str = ""
    """Words someone searched for: events of searches holding every one of them (by their keyed
    hashes, `search_terms.keys_of`; the words themselves are never stored)."""


def _start_of_day(day: datetime.date) -> datetime.datetime:
    # Days are the viewer's local days (Asia/Ho_Chi_Minh), not UTC ones.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _scope(user: AccessSubject) -> Q:
    # Events without an agency (failed sign-ins of unknown users) are reached by national scope only.
    return user.scope_q(VIEW_PERMISSION, agency_path="agency")


def event_list_for(*, user: AccessSubject, filters: EventFilters | None = None) -> QuerySet[AuditEvent]:
    """Events the user may read, newest first, narrowed by `filters`."""
    events = AuditEvent.objects.filter(_scope(user))
    f = filters or EventFilters()
    if f.actor:
        events = events.filter(actor_username__icontains=f.actor)
    if f.agency_id is not None:
        events = events.filter(agency_id=f.agency_id)
    if f.action:
        events = events.filter(action=f.action)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.object_id:
        events = events.filter(object_id=f.object_id)
    if f.date_from is not None:
        events = events.filter(occurred_at__gte=_start_of_day(f.date_from))
    if f.date_to is not None:
        events = events.filter(occurred_at__lt=_start_of_day(f.date_to + datetime.timedelta(days=1)))
    for key in search_terms.keys_of(f.search_term):
        # Keys are fixed-length hex joined by spaces, so a substring match is an exact key match.
        events = events.filter(details__search__icontains=key)
    return events.select_related("agency").order_by("-sequence")


def event_get_for(*, user: AccessSubject, event_id: uuid.UUID) -> AuditEvent:
    """One event the user may read; missing and out of scope both raise NotFound."""
    return one_or_not_found(
        AuditEvent.objects.filter(_scope(user)).select_related("agency", "actor"), event_id
    )


def _agency_model() -> type[Model]:
    # Reached through the event's foreign key: audit sits below accounts and must not import it.
    model = AuditEvent._meta.get_field("agency").related_model
    assert isinstance(model, type)
    assert issubclass(model, Model)
    return model


def agencies_for_filter(*, user: AccessSubject) -> QuerySet[Any]:
    """Agencies whose events the user may read: the choices of the agency filter."""
    return _agency_model()._default_manager.filter(
        user.scope_q(VIEW_PERMISSION, agency_path="pk", province_path="province")
    )


def verification_list() -> QuerySet[ChainVerification]:
    """Every whole-chain verification, newest first: they name events by number only."""
    return ChainVerification.objects.select_related("requested_by").order_by("-created_at", "-id")


def verification_get(*, verification_id: uuid.UUID | str) -> ChainVerification:
    return one_or_not_found(verification_list(), verification_id)
