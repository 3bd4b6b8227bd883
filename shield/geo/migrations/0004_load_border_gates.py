"""Data: the border gates (road, rail, airports, seaports) where screening happens."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from shield.geo import loading


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    loading.border_gates_load(apps.get_model("geo", "BorderGate"), apps.get_model("geo", "Province"))


def unload(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    loading.border_gates_unload(apps.get_model("geo", "BorderGate"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0003_load_former_provinces")]

    operations = [migrations.RunPython(load, unload)]
