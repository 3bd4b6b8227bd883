# Joins the core part's migrations with the shapes and release parts' (the integrator regenerates
# the app's migrations as one initial file at merge).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0001_core"),
        ("statistics", "0002_releases"),
    ]

    operations: list[migrations.operations.base.Operation] = []
