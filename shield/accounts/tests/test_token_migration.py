"""Upgrading from rest_framework.authtoken deletes its table of plain keys, so no old key keeps
working nor stays readable at rest."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db

MIGRATION = "0004_drop_plain_api_tokens"


def test_upgrading_drops_the_plain_token_table_and_its_migration_records():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id varchar(32))")
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567', 'x')")
    recorder = MigrationRecorder(connection)
    recorder.record_applied("authtoken", "0001_initial")
    assert "authtoken_token" in connection.introspection.table_names()
    loader = MigrationLoader(connection)
    # Not entered (as the geo migration tests do): the test's transaction holds the DDL.
    editor = connection.schema_editor()
    migration = loader.get_migration("accounts", MIGRATION)
    migration.apply(loader.project_state(("accounts", MIGRATION), at_end=False), editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not recorder.migration_qs.filter(app="authtoken").exists()
    # Reversible: unapplying restores nothing (the keys are gone by design) and does not fail.
    migration.unapply(loader.project_state(("accounts", MIGRATION), at_end=True), editor)


def test_a_fresh_database_has_no_plain_token_table():
    assert "authtoken_token" not in connection.introspection.table_names()
