"""Actors, signed-in clients and chain helpers for the audit tests."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, UserFactory, member
from shield.audit.models import GENESIS_HASH, AuditEvent

# Until the root conftest loads this plugin for every app, load it here for the audit tests.

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def agency(db: None) -> Agency:
    return AgencyFactory.create(name_en="Lao Cai Social Protection Centre")


@pytest.fixture
def other_agency(db: None) -> Agency:
    return AgencyFactory.create(name_en="An Giang Border Guard")


@pytest.fixture
def child_agency(agency: Agency) -> Agency:
    """A station under `agency`: agency scope reaches it too."""
    return AgencyFactory.create(parent=agency, name_en="Lao Cai City Station")


@pytest.fixture
def alice(agency: Agency) -> User:
    return member(Role.CASE_WORKER, agency=agency, username="alice")


@pytest.fixture
def bob(other_agency: Agency) -> User:
    return member(Role.CASE_WORKER, agency=other_agency, username="bob")


@pytest.fixture
def national_auditor(db: None) -> User:
    return member(Role.AUDITOR, scope=Scope.NATIONAL, username="national.auditor")


@pytest.fixture
def agency_auditor(agency: Agency) -> User:
    return member(Role.AUDITOR, agency=agency, scope=Scope.AGENCY, username="agency.auditor")


@pytest.fixture
def case_worker(agency: Agency) -> User:
    return member(Role.CASE_WORKER, agency=agency, username="case.worker")


@pytest.fixture
def superuser(db: None) -> User:
    return UserFactory.create(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    """A client already signed in as the given user."""

    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def raw_sql() -> Callable[..., None]:
    """Run SQL straight at the audit table, as an intruder with a database console would.

    On PostgreSQL the append-only triggers are switched off for the statement (the table owner can
    do that) so the tests can show that the hash chain still catches the change.
    """

    def set_triggers(cursor: Any, state: str) -> None:
        # ALTER TABLE is refused while deferred foreign-key checks are pending in the transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {TABLE} {state} TRIGGER USER")

    def run(sql: str, params: list[Any] | None = None) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                set_triggers(cursor, "DISABLE")
            try:
                cursor.execute(sql, params or [])
            finally:
                if connection.vendor == "postgresql":
                    set_triggers(cursor, "ENABLE")

    return run


@pytest.fixture
def frozen_now() -> Callable[[datetime], AbstractContextManager[None]]:
    """Inside `with frozen_now(moment):` record() stamps events with `moment` (for date filters)."""

    @contextmanager
    def freeze(moment: datetime) -> Iterator[None]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda: moment)
            yield

    return freeze


@pytest.fixture
def build_chain(db: None) -> Callable[[int], list[AuditEvent]]:
    """Append `n` valid events in one bulk insert: a long chain without thousands of record() calls.

    Hashes are computed exactly as record() computes them, so audit_verify must accept the result.
    """

    def build(n: int) -> list[AuditEvent]:
        last = AuditEvent.objects.order_by("-sequence").first()
        sequence = last.sequence if last else 0
        previous_hash = last.hash if last else GENESIS_HASH
        start = timezone.now()
        events = []
        for i in range(n):
            sequence += 1
            event = AuditEvent(
                sequence=sequence,
                occurred_at=start + timedelta(microseconds=i),
                action="view",
                object_type="tests.thing",
                object_id=str(sequence),
                previous_hash=previous_hash,
            )
            event.hash = event.compute_hash()
            previous_hash = event.hash
            events.append(event)
        return AuditEvent.objects.bulk_create(events, batch_size=1000)

    return build
