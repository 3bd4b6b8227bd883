"""Walks the audit chain in sequence order and finds the first event that breaks it.

What the chain can prove: no event was changed (its hash no longer matches its content), re-linked
(its `previous_hash` is not the hash of the event before it) or removed from the middle (a gap in
the sequence). What it cannot prove on its own: that the newest events were not cut off the end;
that needs the last hash kept somewhere else (a printed report, another system) to compare with.
"""

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shield.audit.models import GENESIS_HASH, AuditEvent

# Rows fetched per round trip: large enough to be fast, small enough that memory stays flat on a
# chain of millions (the iterator never holds more than one chunk).
CHUNK_SIZE = 2000


class BreakKind(enum.Enum):
    CONTENT_CHANGED = "content_changed"
    LINK_BROKEN = "link_broken"
    SEQUENCE_GAP = "sequence_gap"


@dataclass(frozen=True)
class ChainBreak:
    kind: BreakKind
    sequence: int
    event_id: uuid.UUID
    occurred_at: datetime
    detail: str

    def describe(self) -> str:
        return _("Audit chain broken at event #%(sequence)s (id %(id)s, time %(time)s): %(detail)s") % {
            "sequence": self.sequence,
            "id": self.event_id,
            "time": self.occurred_at.isoformat(),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ChainReport:
    verified: int
    """Events found sound, in order, before the first break (all of them when there is none)."""

    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _check(event: AuditEvent, previous: AuditEvent | None) -> ChainBreak | None:
    expected_sequence = previous.sequence + 1 if previous is not None else 1
    expected_link = previous.hash if previous is not None else GENESIS_HASH

    def broken(kind: BreakKind, detail: str) -> ChainBreak:
        return ChainBreak(kind, event.sequence, event.id, event.occurred_at, detail)

    # A removed event also breaks the next one's link; the gap is checked first because it names
    # the real cause and how many events are missing.
    if event.sequence != expected_sequence:
        return broken(
            BreakKind.SEQUENCE_GAP,
            ngettext(
                "sequence gap: expected #%(expected)s, found #%(found)s (%(missing)s event missing).",
                "sequence gap: expected #%(expected)s, found #%(found)s (%(missing)s events missing).",
                event.sequence - expected_sequence,
            )
            % {
                "expected": expected_sequence,
                "found": event.sequence,
                "missing": event.sequence - expected_sequence,
            },
        )
    if event.previous_hash != expected_link:
        return broken(
            BreakKind.LINK_BROKEN,
            _("link broken: its previous hash does not match the hash of the event before it."),
        )
    if event.compute_hash() != event.hash:
        return broken(
            BreakKind.CONTENT_CHANGED,
            _("content changed: its stored hash does not match its content."),
        )
    return None


def verify_chain(*, progress: Callable[[int], object] | None = None) -> ChainReport:
    """Recompute every hash and link, oldest first, stopping at the first break.

    `progress` is called now and then with the number of events checked since its last call.
    """
    previous: AuditEvent | None = None
    verified = 0
    unreported = 0
    events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=CHUNK_SIZE)
    for event in events:
        problem = _check(event, previous)
        if problem is not None:
            if progress is not None and unreported:
                progress(unreported)
            return ChainReport(verified=verified, first_break=problem)
        previous = event
        verified += 1
        unreported += 1
        if progress is not None and unreported == CHUNK_SIZE:
            progress(unreported)
            unreported = 0
    if progress is not None and unreported:
        progress(unreported)
    return ChainReport(verified=verified, first_break=None)
