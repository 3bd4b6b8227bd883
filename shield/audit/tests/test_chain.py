"""record() builds a sound chain, and nothing changes or removes an event once written."""

import importlib
from datetime import datetime
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from shield.audit import record
from shield.audit.models import GENESIS_HASH, AppendOnlyError, AuditAction, AuditEvent
from shield.audit.verification import verify_chain
from shield.core import request_context

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only triggers exist on PostgreSQL only (SQLite keeps the ORM guard)",
)


def _chain() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("sequence"))


def _execute(*statements: tuple[str, list[Any]]) -> None:
    """Run raw SQL in a savepoint, so a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _record_then_fail(*object_ids: str) -> None:
    """An audited action that writes its events and then fails, rolling them back."""
    with transaction.atomic():
        for object_id in object_ids:
            record(action=AuditAction.UPDATE, object_type="cases.case", object_id=object_id)
        raise RuntimeError("the audited action failed")


def test_record_links_each_event_to_the_one_before(case_worker):
    first = record(action=AuditAction.CREATE, actor=case_worker, object_type="cases.case", object_id="1")
    second = record(action=AuditAction.UPDATE, actor=case_worker, object_type="cases.case", object_id="1")
    third = record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert verify_chain().intact


def test_stored_event_hash_matches_its_content_after_reload(case_worker, agency):
    written = record(
        action=AuditAction.UPDATE,
        actor=case_worker,
        agency=agency,
        object_type="cases.case",
        object_id="42",
        changed_fields=["status", "assessment", "status"],
        reason="Transferred to the provincial centre — theo yêu cầu",
        ip_address="10.0.0.7",
        request_id="req-1",
    )

    stored = AuditEvent.objects.get(pk=written.pk)

    assert stored.hash == written.hash == stored.compute_hash()
    assert stored.changed_fields == ["assessment", "status"]
    assert stored.actor_username == "case.worker"
    assert stored.agency_id == agency.pk


def test_record_defaults_to_the_actors_agency_and_the_requests_address(case_worker, agency):
    token = request_context.activate(request_context.RequestContext("abc123", "192.0.2.10"))
    try:
        event = record(action=AuditAction.VIEW, actor=case_worker, object_type="cases.case", object_id="1")
    finally:
        request_context.deactivate(token)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.agency_id, stored.ip_address, stored.request_id) == (agency.pk, "192.0.2.10", "abc123")


def test_ipv6_address_is_hashed_in_the_form_the_database_stores():
    event = record(action=AuditAction.LOGIN_FAILED, ip_address="2001:0DB8:0000:0000:0000:0000:0000:0001")

    stored = AuditEvent.objects.get(pk=event.pk)

    assert stored.ip_address == "2001:db8::1"
    assert stored.compute_hash() == stored.hash
    assert verify_chain().intact


def test_malformed_client_address_is_dropped_not_fatal():
    event = record(action=AuditAction.LOGIN_FAILED, ip_address="not-an-address, 10.0.0.1")

    assert AuditEvent.objects.get(pk=event.pk).ip_address is None


def test_saving_an_existing_event_is_refused():
    event = record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")
    event.reason = "rewritten"

    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_deleting_an_event_is_refused():
    event = record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused():
    record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(sequence=1).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update(list(AuditEvent.objects.all()), ["reason"])
    assert AuditEvent.objects.get(sequence=1).reason == ""


def test_queryset_delete_is_refused():
    record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


@postgres_only
def test_raw_sql_update_is_refused_by_the_database():
    event = record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    with pytest.raises(DatabaseError, match="audit events are append-only"):
        _execute(("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["rewritten", event.pk]))

    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@postgres_only
def test_raw_sql_delete_is_refused_by_the_database():
    event = record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    with pytest.raises(DatabaseError, match="audit events are append-only"):
        _execute(("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]))

    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgres_only
def test_truncate_is_refused_by_the_database():
    record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    # Fire the deferred foreign-key checks first: PostgreSQL refuses TRUNCATE while any are pending,
    # which would hide whether the trigger itself refuses.
    truncate = [("SET CONSTRAINTS ALL IMMEDIATE", []), ("TRUNCATE audit_auditevent", [])]
    with pytest.raises(DatabaseError, match="audit events are append-only"):
        _execute(*truncate)

    assert AuditEvent.objects.count() == 1


@postgres_only
def test_trigger_migration_reverses_cleanly():
    migration = importlib.import_module("shield.audit.migrations.0002_append_only_triggers")
    event = record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    # PostgreSQL DDL is transactional: the test's own transaction undoes all of this afterwards.
    with connection.schema_editor(atomic=False) as editor:
        migration.drop_triggers(global_apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["unguarded", event.pk])
    with connection.schema_editor(atomic=False) as editor:
        migration.create_triggers(global_apps, editor)

    with pytest.raises(DatabaseError, match="append-only"):
        _execute(("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]))


def test_events_written_in_nested_transactions_keep_the_chain_whole():
    with transaction.atomic():
        record(action=AuditAction.CREATE, object_type="cases.case", object_id="outer")
        with transaction.atomic():
            record(action=AuditAction.UPDATE, object_type="cases.case", object_id="inner")
            with transaction.atomic():
                record(action=AuditAction.VIEW, object_type="cases.case", object_id="innermost")
        record(action=AuditAction.VIEW, object_type="cases.case", object_id="after-inner")

    chain = _chain()
    assert [e.object_id for e in chain] == ["outer", "inner", "innermost", "after-inner"]
    assert [e.sequence for e in chain] == [1, 2, 3, 4]
    assert verify_chain().intact


def test_rolled_back_events_vanish_and_the_chain_stays_whole():
    record(action=AuditAction.CREATE, object_type="cases.case", object_id="kept-1")
    with pytest.raises(RuntimeError):
        _record_then_fail("rolled-back-1", "rolled-back-2")
    record(action=AuditAction.VIEW, object_type="cases.case", object_id="kept-2")

    chain = _chain()
    assert [e.object_id for e in chain] == ["kept-1", "kept-2"]
    assert [e.sequence for e in chain] == [1, 2]
    assert chain[1].previous_hash == chain[0].hash
    assert verify_chain().intact


def test_inner_rollback_inside_a_committed_transaction_keeps_the_chain_whole():
    with transaction.atomic():
        record(action=AuditAction.CREATE, object_type="cases.case", object_id="kept-1")
        with pytest.raises(RuntimeError):
            _record_then_fail("rolled-back")
        record(action=AuditAction.VIEW, object_type="cases.case", object_id="kept-2")

    assert [e.object_id for e in _chain()] == ["kept-1", "kept-2"]
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_rollback_of_a_committing_transaction_keeps_the_chain_whole():
    # Real commits and a real top-level rollback, not savepoints inside the test's transaction.
    kept_1 = record(action=AuditAction.CREATE, object_type="cases.case", object_id="kept-1")
    with pytest.raises(RuntimeError):
        _record_then_fail("rolled-back")
    kept_2 = record(action=AuditAction.VIEW, object_type="cases.case", object_id="kept-2")

    assert kept_2.sequence == kept_1.sequence + 1
    assert kept_2.previous_hash == kept_1.hash
    assert not AuditEvent.objects.filter(object_id="rolled-back").exists()
    assert verify_chain().intact


def test_event_stamped_in_local_time_verifies_after_reload(frozen_now):
    local_moment = timezone.make_aware(datetime(2025, 3, 4, 1, 0))  # Asia/Ho_Chi_Minh, UTC+7
    with frozen_now(local_moment):
        event = record(action=AuditAction.VIEW, object_type="cases.case", object_id="1")

    stored = AuditEvent.objects.get(pk=event.pk)

    assert stored.occurred_at == local_moment
    assert stored.compute_hash() == event.hash
    assert verify_chain().intact
