"""The append-only, hash-chained record of who did what to which record, and when."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shield.audit.models import AuditEvent


def record(**kwargs: Any) -> "AuditEvent":
    """Append an audit event; see shield.audit.services.record for the arguments."""
    from shield.audit.services import record as _record

    return _record(**kwargs)
