"""Data: the 34 provinces and 3,321 communes of the vietnam-provinces package (since 1 July 2025)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from shield.geo import loading


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    loading.divisions_load(apps.get_model("geo", "Province"), apps.get_model("geo", "Commune"))


def unload(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    loading.divisions_unload(apps.get_model("geo", "Province"), apps.get_model("geo", "Commune"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
