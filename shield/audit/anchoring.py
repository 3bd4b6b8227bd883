"""Anchors: signed copies of the chain's head kept outside the database.

The chain proves that no event was changed or removed from the middle, but not that the newest
events were not cut off the end: whoever removes them leaves a shorter chain that is whole. An
anchor is the head's (sequence, hash) at a moment, signed with a key the database does not hold
and written to a directory on another disk or machine (`SHIELD_AUDIT_ANCHOR_DIR`).
`audit_verify --anchor` checks that every anchored event is still in the chain with the same hash:
cutting events anchored once is detected, and a forged or edited anchor fails its signature.

The key is `SHIELD_AUDIT_ANCHOR_KEY`; without it one derived from SECRET_KEY signs (with a
warning), which proves less, since SECRET_KEY sits beside the database on the same server.
"""

import datetime
import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from shield.audit.models import GENESIS_HASH, AuditEvent

FILE_PREFIX = "anchor-"
FILE_SUFFIX = ".json"


def key_is_configured() -> bool:
    return bool(getattr(settings, "SHIELD_AUDIT_ANCHOR_KEY", ""))


def _key() -> bytes:
    if key_is_configured():
        return str(settings.SHIELD_AUDIT_ANCHOR_KEY).encode()
    return salted_hmac("shield.audit.anchoring", "key", algorithm="sha256").digest()


def anchor_dir() -> Path:
    return Path(str(getattr(settings, "SHIELD_AUDIT_ANCHOR_DIR", "") or "audit-anchors"))


def _signed_text(sequence: int, head_hash: str, anchored_at: str) -> bytes:
    body = {"sequence": sequence, "hash": head_hash, "anchored_at": anchored_at}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def _sign(sequence: int, head_hash: str, anchored_at: str) -> str:
    return hmac.new(_key(), _signed_text(sequence, head_hash, anchored_at), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    sequence: int
    hash: str
    anchored_at: str
    path: Path


def write_anchor(*, directory: Path | None = None, now: datetime.datetime | None = None) -> Anchor:
    """Sign the chain's current head and write it to a new file in `directory` (created if needed).

    The file appears whole or not at all (written aside, then renamed), and is never overwritten:
    each run adds one, so a later run cannot replace an earlier anchor.
    """
    target = directory or anchor_dir()
    target.mkdir(parents=True, exist_ok=True)
    head = AuditEvent.objects.order_by("-sequence").only("sequence", "hash").first()
    sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    moment = (now or timezone.now()).astimezone(datetime.UTC)
    anchored_at = moment.isoformat()
    body = {
        "sequence": sequence,
        "hash": head_hash,
        "anchored_at": anchored_at,
        "signature": _sign(sequence, head_hash, anchored_at),
    }
    name = f"{FILE_PREFIX}{moment:%Y%m%dT%H%M%S%fZ}-{sequence}{FILE_SUFFIX}"
    path = target / name
    handle, temporary = tempfile.mkstemp(dir=target, prefix=".anchor-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(body, out, sort_keys=True, indent=2)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            raise FileExistsError(path)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Anchor(sequence=sequence, hash=head_hash, anchored_at=anchored_at, path=path)


@dataclass(frozen=True)
class AnchorReport:
    checked: int
    problems: list[str]

    @property
    def sound(self) -> bool:
        return not self.problems


def _read(path: Path) -> Anchor | str:
    """The anchor in `path`, or why it cannot be trusted."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        sequence, head_hash, anchored_at = int(body["sequence"]), str(body["hash"]), str(body["anchored_at"])
        signature = str(body["signature"])
    except (OSError, ValueError, KeyError, TypeError):
        return _("Anchor %(file)s cannot be read.") % {"file": path.name}
    if not hmac.compare_digest(signature, _sign(sequence, head_hash, anchored_at)):
        return _(
            "Anchor %(file)s has a bad signature: it was edited or forged, or signed with another key."
        ) % {"file": path.name}
    return Anchor(sequence=sequence, hash=head_hash, anchored_at=anchored_at, path=path)


def check_anchors(*, directory: Path | None = None) -> AnchorReport:
    """Check every anchor in `directory` against the chain; no anchor at all is a problem too."""
    source = directory or anchor_dir()
    paths = sorted(source.glob(f"{FILE_PREFIX}*{FILE_SUFFIX}")) if source.is_dir() else []
    if not paths:
        return AnchorReport(0, [_("No anchor found in %(dir)s.") % {"dir": source}])
    head = AuditEvent.objects.order_by("-sequence").only("sequence").first()
    last = head.sequence if head else 0
    problems: list[str] = []
    for path in paths:
        anchor = _read(path)
        if isinstance(anchor, str):
            problems.append(anchor)
            continue
        if anchor.sequence == 0:
            continue  # anchored an empty chain: nothing to find
        event = AuditEvent.objects.filter(sequence=anchor.sequence).only("hash").first()
        if event is None:
            problems.append(
                _(
                    "Event #%(sequence)s, anchored at %(time)s (%(file)s), is no longer in the chain, "
                    "which now ends at #%(last)s: events were removed."
                )
                % {"sequence": anchor.sequence, "time": anchor.anchored_at, "file": path.name, "last": last}
            )
        elif event.hash != anchor.hash:
            problems.append(
                _(
                    "Event #%(sequence)s differs from the one anchored at %(time)s (%(file)s): the chain "
                    "was rewritten from there."
                )
                % {"sequence": anchor.sequence, "time": anchor.anchored_at, "file": path.name}
            )
    return AnchorReport(len(paths), problems)
