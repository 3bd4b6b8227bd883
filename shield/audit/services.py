"""`record()`: the one way to write an audit event, inside the caller's transaction."""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from shield.audit.models import GENESIS_HASH, AuditAction, AuditEvent
from shield.core import request_context

# Any stable 64-bit number: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x5348494C44  # "SHILD"


def _lock_chain() -> None:
    """Make concurrent writers append one at a time so each links to the true previous event.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the settings open every transaction
    with BEGIN IMMEDIATE, which already holds the single write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def record(
    *,
    action: AuditAction | str,
    actor: Any = None,
    agency: Any = None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changed_fields: Iterable[str] = (),
    reason: str = "",
    ip_address: str | None = None,
    request_id: str | None = None,
) -> AuditEvent:
    """Append one event. Pass field *names* in `changed_fields`, never their values.

    `agency` defaults to the actor's primary agency; `ip_address` and `request_id` default to the
    current request's.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if agency is None and actor is not None:
        agency = getattr(actor, "primary_agency", None)
    context = request_context.current()
    if context is not None:
        ip_address = ip_address or context.ip
        request_id = request_id or context.request_id
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").only("sequence", "hash").first()
        event = AuditEvent(
            sequence=(last.sequence + 1) if last else 1,
            occurred_at=timezone.now(),
            actor=actor,
            actor_username=getattr(actor, "username", "") if actor else "",
            agency=agency,
            action=str(action),
            object_type=object_type[:100],
            object_id=str(object_id)[:100],
            changed_fields=sorted(set(changed_fields)),
            reason=reason,
            ip_address=ip_address,
            request_id=request_id or "",
            previous_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event
