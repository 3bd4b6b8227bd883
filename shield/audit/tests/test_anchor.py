"""`audit_anchor` signs the chain's head into a file outside the database; `audit_verify --anchor`
then catches the newest events cut off the end, and an anchor file forged or edited."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shield.audit import record
from shield.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchors(settings, tmp_path: Path) -> Path:
    settings.SHIELD_AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    settings.SHIELD_AUDIT_ANCHOR_KEY = "a key kept apart from the database"
    return tmp_path / "anchors"


def _write(n: int) -> None:
    for i in range(n):
        record(action=AuditAction.VIEW, object_type="cases.case", object_id=str(i))


def _anchor() -> str:
    out = StringIO()
    call_command("audit_anchor", stdout=out, stderr=StringIO())
    return out.getvalue()


def _verify_anchored() -> str:
    out = StringIO()
    call_command("audit_verify", "--anchor", stdout=out, stderr=StringIO())
    return out.getvalue()


def _verify_anchored_fails() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify", "--anchor", stdout=StringIO(), stderr=StringIO())
    assert raised.value.returncode == 1
    return str(raised.value)


def test_an_anchor_is_a_signed_file_naming_the_head(anchors):
    _write(3)

    output = _anchor()

    [path] = list(anchors.glob("anchor-*.json"))
    body = json.loads(path.read_text())
    head = AuditEvent.objects.get(sequence=3)
    assert (body["sequence"], body["hash"]) == (3, head.hash)
    assert len(body["signature"]) == 64
    assert "#3" in output


def test_an_untouched_chain_holds_its_anchors(anchors):
    _write(2)
    _anchor()
    _write(2)
    _anchor()

    output = _verify_anchored()

    assert "Audit chain intact: 4 events verified." in output
    assert "Anchors hold: 2 anchors checked." in output


def test_deleting_the_newest_events_after_an_anchor_is_detected(anchors, raw_sql):
    _write(5)
    _anchor()
    raw_sql("DELETE FROM audit_auditevent WHERE sequence >= %s", [4])

    # The chain alone cannot tell: what is left is whole.
    out = StringIO()
    call_command("audit_verify", stdout=out, stderr=StringIO())
    assert "intact: 3 events" in out.getvalue()

    message = _verify_anchored_fails()

    assert "Event #5" in message
    assert "no longer in the chain" in message
    assert "ends at #3" in message


def test_a_rewritten_tail_with_recomputed_hashes_is_detected(anchors, raw_sql):
    _write(3)
    _anchor()
    raw_sql("DELETE FROM audit_auditevent WHERE sequence = %s", [3])
    _write(1)  # a new #3, linked properly, but not the anchored one

    message = _verify_anchored_fails()

    assert "Event #3 differs" in message


def test_an_edited_anchor_fails_its_signature(anchors):
    _write(2)
    _anchor()
    [path] = list(anchors.glob("anchor-*.json"))
    body = json.loads(path.read_text())
    body["sequence"] = 1
    path.write_text(json.dumps(body))

    message = _verify_anchored_fails()

    assert "bad signature" in message
    assert path.name in message


def test_an_anchor_signed_with_another_key_fails(anchors, settings):
    _write(1)
    settings.SHIELD_AUDIT_ANCHOR_KEY = "the forger's key"
    _anchor()
    settings.SHIELD_AUDIT_ANCHOR_KEY = "a key kept apart from the database"

    assert "bad signature" in _verify_anchored_fails()


def test_verify_with_anchor_and_no_anchor_files_fails(anchors):
    _write(1)

    assert "No anchor found" in _verify_anchored_fails()


def test_without_a_configured_key_the_anchor_warns_and_still_signs(settings, tmp_path):
    settings.SHIELD_AUDIT_ANCHOR_DIR = str(tmp_path)
    settings.SHIELD_AUDIT_ANCHOR_KEY = ""
    _write(1)
    err = StringIO()

    call_command("audit_anchor", stdout=StringIO(), stderr=err)

    assert "SHIELD_AUDIT_ANCHOR_KEY is not set" in err.getvalue()
    assert "Anchors hold: 1 anchor checked." in _verify_anchored()
