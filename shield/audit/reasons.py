"""Free-text reasons stay out of the append-only log: the event names where the text is kept.

A reason someone types (why a case moves or closes, why a transfer, a withdrawal, a removal) is
kept encrypted on the record it explains, or in a `StoredReason` when there is no such record. The
audit event carries only a reference such as `reason stored on cases.closurerequest <id> (reason)`,
so nothing in the hash chain has to be kept, or can leak, once the record is gone. Pages that show
reasons (the audit event, a case's history) expand references with `expand_all`, one query per
kind of record. Events written before this change keep the text they were written with.
"""

import re
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model

from shield.audit.models import StoredReason
from shield.core.encryption import EncryptedTextField

PREFIX = "reason stored on "
_REFERENCE = re.compile(r"reason stored on ([a-z_]+\.[a-z0-9_]+) ([0-9a-fA-F-]{1,36}) \(([a-z_]+)\)")


def reference(obj: Model, field: str = "reason") -> str:
    """The audit event's stand-in for `obj.<field>` (an encrypted field); empty when the text is."""
    if not getattr(obj, field):
        return ""
    return f"{PREFIX}{obj._meta.label_lower} {obj.pk} ({field})"


def keep(text: str) -> str:
    """Store a reason that has no record of its own; returns the reference (empty for no text)."""
    text = (text or "").strip()
    if not text:
        return ""
    return reference(StoredReason.objects.create(text=text), "text")


def join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def _readable_field(label: str, field: str) -> type[Model] | None:
    """Only encrypted text fields are expanded: a reference cannot be pointed at anything else."""
    try:
        model = apps.get_model(label)
        found = model._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return model if isinstance(found, EncryptedTextField) else None


def expand_all(reasons: Iterable[str]) -> dict[str, str]:
    """Each given reason with its references replaced by the text they point to.

    A reference whose record is gone (or was never kept) is left as it is. One query per kind of
    record referenced, whatever the number of events.
    """
    texts = list(dict.fromkeys(r for r in reasons if r))
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for text in texts:
        for match in _REFERENCE.finditer(text):
            wanted[(match.group(1), match.group(3))].add(match.group(2))
    found: dict[tuple[str, str, str], str] = {}
    for (label, field), pks in wanted.items():
        model = _readable_field(label, field)
        if model is None:
            continue
        valid = [pk for pk in pks if _looks_like_pk(model, pk)]
        for pk, value in model._base_manager.filter(pk__in=valid).values_list("pk", field):
            found[(label, str(pk), field)] = value
    return {
        text: _REFERENCE.sub(lambda m: found.get((m.group(1), m.group(2), m.group(3)), m.group(0)), text)
        for text in texts
    }


def _looks_like_pk(model: type[Model], value: str) -> bool:
    try:
        model._meta.pk.to_python(value)
    except Exception:
        return False
    return True


def expand(reason: str) -> str:
    return expand_all([reason]).get(reason, reason) if reason else reason
