"""The data migrations are reversible: unapplied they remove what they loaded, reapplied they reload it."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from shield.geo import loading
from shield.geo.models import BorderGate, Commune, FormerProvince, Province
from shield.geo.selectors import province_lookup_clear, province_resolve

pytestmark = pytest.mark.django_db

DATA_MIGRATIONS = ["0002_load_divisions", "0003_load_former_provinces", "0004_load_border_gates"]


def _counts() -> tuple[int, int, int, int]:
    return (
        Province.objects.count(),
        Commune.objects.count(),
        FormerProvince.objects.count(),
        BorderGate.objects.count(),
    )


def _border_gate_rows() -> int:
    return sum(1 for _ in loading._read_csv(loading.BORDER_GATES_CSV))


def test_geo_data_migrations_unapply_to_empty_tables_and_reapply():
    # Each migration is run backwards and forwards with its own historical models, inside the
    # test's transaction. A transactional test driving MigrationExecutor.migrate would end in a
    # flush (TRUNCATE), which the audit table's append-only trigger refuses on PostgreSQL.
    loader = MigrationLoader(connection)
    # Not entered: these migrations run no DDL, and RunPython only reads the editor's connection.
    editor = connection.schema_editor()
    for name in reversed(DATA_MIGRATIONS):
        migration = loader.get_migration("geo", name)
        migration.unapply(loader.project_state(("geo", name), at_end=False), editor)
    assert _counts() == (0, 0, 0, 0)

    for name in DATA_MIGRATIONS:
        migration = loader.get_migration("geo", name)
        migration.apply(loader.project_state(("geo", name), at_end=False), editor)
    assert _counts() == (34, 3321, 63, _border_gate_rows())
    province_lookup_clear()
    assert province_resolve("Hà Giang").codename == "tuyen_quang"


def test_loading_functions_reverse_removes_only_what_they_loaded():
    extra = BorderGate.objects.create(
        code="test-gate", name="Test gate", province=Province.objects.get(code="01"), kind="secondary"
    )
    loading.border_gates_unload(BorderGate)
    loading.former_provinces_unload(FormerProvince)
    assert list(BorderGate.objects.all()) == [extra]
    assert FormerProvince.objects.count() == 0
    extra.delete()
    loading.divisions_unload(Province, Commune)
    assert _counts() == (0, 0, 0, 0)

    assert loading.divisions_load(Province, Commune) == (34, 3321)
    assert loading.former_provinces_load(FormerProvince, Province) == 63
    assert loading.border_gates_load(BorderGate, Province) == _border_gate_rows()
    assert _counts() == (34, 3321, 63, _border_gate_rows())
