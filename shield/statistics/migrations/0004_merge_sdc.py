# Joins the disclosure part's migration with the others (the integrator regenerates the app's
# migrations as one initial file at merge).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0003_merge_core"),
        ("statistics", "0001_sdc"),
    ]

    operations: list[migrations.operations.base.Operation] = []
