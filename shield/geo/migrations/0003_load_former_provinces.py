"""Data: the 63 provinces before the 1 July 2025 reform, each linked to the province that absorbed it."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from shield.geo import loading


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    loading.former_provinces_load(apps.get_model("geo", "FormerProvince"), apps.get_model("geo", "Province"))


def unload(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    loading.former_provinces_unload(apps.get_model("geo", "FormerProvince"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_load_divisions")]

    operations = [migrations.RunPython(load, unload)]
