"""`record()`: the one way to write an audit event, inside the caller's transaction."""

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from shield.audit import search_terms
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


def _canonical_ip(value: str | None) -> str | None:
    """The address exactly as the database will hand it back, or None when it is not an address.

    The hash is computed before the row is written, so it must cover the form the column stores
    (PostgreSQL's inet compresses IPv6) or every such event would later fail verification. A
    malformed address (a forged X-Forwarded-For) is dropped rather than failing the audited action.
    """
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip().split("%", 1)[0])
    except ValueError:
        return None
    if address.version == 6:
        return clean_ipv6_address(str(address))
    return str(address)


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
    details: Mapping[str, object] | None = None,
    search: str = "",
) -> AuditEvent:
    """Append one event. Pass field *names* in `changed_fields`, never their values.

    `agency` defaults to the actor's primary agency; `ip_address` and `request_id` default to the
    current request's. `search` is the text a user searched with: only its keyed hashes are kept
    (`details["search"]`, see `search_terms`). `details` holds facts the code writes (counts,
    the names of the filters used), never personal data or free text.
    """
    facts: dict[str, object] = dict(details or {})
    if keys := search_terms.keys_of(search):
        facts["search"] = " ".join(keys)
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
    ip_address = _canonical_ip(ip_address)
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
            request_id=(request_id or "")[:64],
            details=facts,
            previous_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event
