"""pytest plugin: transactional tests on PostgreSQL can empty the database despite the audit triggers.

pytest-django ends every transactional test (`transaction=True`, `transactional_db`, `live_server`)
with `flush`, a TRUNCATE of every table, which the append-only trigger on audit_auditevent refuses.
Load it for the whole suite from the root conftest: `pytest_plugins = ["shield.audit.tests.postgres_flush"]`.
"""

from collections.abc import Generator

import pytest
from django.db import connection
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key


def flushes_database(item: pytest.Item) -> bool:
    """Whether pytest-django empties the database with `flush` (TRUNCATE) after this test."""
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    names = set(getattr(item, "fixturenames", ()))
    return bool(transactional or reset_sequences) or bool(
        names & {"transactional_db", "live_server", "django_db_reset_sequences"}
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    """Let a transactional test's closing flush pass the append-only TRUNCATE trigger (PostgreSQL).

    Replica mode skips user triggers for this session only, and only a superuser (the test
    database's owner in CI) can enter it: the production guard stays whole.
    """
    if connection.vendor != "postgresql" or not flushes_database(item):
        return (yield)
    blocker = item.config.stash[blocking_manager_key]
    with blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        return (yield)
    finally:
        # A closed connection took the setting with it (and may now point at the dropped test
        # database's original name); only an open one needs it reset.
        if connection.connection is not None:
            with blocker.unblock(), connection.cursor() as cursor:
                cursor.execute("RESET session_replication_role")
