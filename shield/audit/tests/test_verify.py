"""`manage.py audit_verify` passes an intact chain and names the first event that was tampered with."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shield.audit import record
from shield.audit.management.commands.audit_verify import Command
from shield.audit.models import AuditAction, AuditEvent
from shield.audit.verification import CHUNK_SIZE, BreakKind, verify_chain

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditEvent]:
    return [
        record(action=AuditAction.VIEW, object_type="cases.case", object_id=str(i), reason=f"note {i}")
        for i in range(1, n + 1)
    ]


def _verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out, stderr=StringIO())
    return out.getvalue()


def _verify_fails() -> CommandError:
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify", stdout=StringIO(), stderr=StringIO())
    assert raised.value.returncode == 1
    return raised.value


def test_intact_chain_passes_and_counts_every_event():
    _write(5)

    assert _verify().strip() == "Audit chain intact: 5 events verified."


def test_empty_chain_passes():
    assert _verify().strip() == "Audit chain intact: 0 events verified."


def test_changed_content_is_reported_at_that_event(raw_sql):
    events = _write(5)
    raw_sql("UPDATE audit_auditevent SET reason = %s WHERE sequence = %s", ["nothing happened", 3])

    error = _verify_fails()

    message = str(error)
    assert "#3" in message
    assert str(events[2].pk) in message
    assert "content changed" in message
    report = verify_chain()
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.sequence, report.verified) == (
        BreakKind.CONTENT_CHANGED,
        3,
        2,
    )


def test_forged_event_with_a_recomputed_hash_breaks_the_next_link(raw_sql):
    _write(5)
    forged = AuditEvent.objects.get(sequence=3)
    forged.reason = "nothing happened"
    raw_sql(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE sequence = %s",
        [forged.reason, forged.compute_hash(), 3],
    )

    error = _verify_fails()

    assert "#4" in str(error)
    assert "link broken" in str(error)
    report = verify_chain()
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.sequence) == (BreakKind.LINK_BROKEN, 4)


def test_deleted_event_is_reported_as_a_gap(raw_sql):
    _write(5)
    raw_sql("DELETE FROM audit_auditevent WHERE sequence = %s", [3])

    error = _verify_fails()

    assert "#4" in str(error)
    assert "sequence gap: expected #3, found #4 (1 event missing)" in str(error)


def test_deleting_the_first_events_is_reported(raw_sql):
    _write(4)
    raw_sql("DELETE FROM audit_auditevent WHERE sequence IN (1, 2)")

    error = _verify_fails()

    assert "#3" in str(error)
    assert "expected #1, found #3 (2 events missing)" in str(error)


def test_first_event_must_link_to_genesis(raw_sql):
    _write(2)
    first = AuditEvent.objects.get(sequence=1)
    first.previous_hash = "f" * 64
    raw_sql(
        "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE sequence = 1",
        [first.previous_hash, first.compute_hash()],
    )

    error = _verify_fails()

    assert "#1" in str(error)
    assert "link broken" in str(error)


def test_only_the_first_break_is_reported(raw_sql):
    _write(6)
    raw_sql("UPDATE audit_auditevent SET reason = %s WHERE sequence IN (2, 5)", ["changed"])

    message = str(_verify_fails())

    assert "#2" in message
    assert "#5" not in message


def test_command_line_exits_1_and_names_the_event_on_stderr(raw_sql, capsys):
    events = _write(3)
    raw_sql("UPDATE audit_auditevent SET object_id = %s WHERE sequence = %s", ["other", 2])

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "audit_verify"])

    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "#2" in captured.err
    assert str(events[1].pk) in captured.err
    assert "intact" not in captured.out


def test_chain_longer_than_one_fetch_is_verified_across_chunk_boundaries(build_chain, raw_sql):
    build_chain(CHUNK_SIZE + 150)
    assert verify_chain().verified == CHUNK_SIZE + 150

    raw_sql("UPDATE audit_auditevent SET object_id = %s WHERE sequence = %s", ["moved", CHUNK_SIZE + 100])

    report = verify_chain()
    assert report.first_break is not None
    assert report.first_break.sequence == CHUNK_SIZE + 100
    assert report.verified == CHUNK_SIZE + 99


def test_progress_reports_every_event_once(build_chain: Callable[[int], list[AuditEvent]]) -> None:
    build_chain(CHUNK_SIZE + 7)
    steps: list[int] = []

    verify_chain(progress=steps.append)

    assert sum(steps) == CHUNK_SIZE + 7
    assert len(steps) == 2


def test_progress_bar_goes_to_stderr_when_asked(build_chain, capsys):
    build_chain(30)

    call_command("audit_verify", "--progress")

    captured = capsys.readouterr()
    assert "30/30" in captured.err
    assert "Audit chain intact: 30 events verified." in captured.out


def test_no_progress_bar_when_stderr_is_not_a_terminal(build_chain, capsys):
    build_chain(30)

    call_command("audit_verify")

    assert capsys.readouterr().err == ""
