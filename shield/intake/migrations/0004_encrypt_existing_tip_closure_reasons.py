"""Encrypt the tip closure reasons already stored in plain text (0003 made the field encrypted)."""

from functools import partial

from django.db import migrations

from shield.core.encryption import encrypt_columns_in_place

FIELDS = {"intake.Tip": ["closure_reason"]}


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_tip_closure_reason_encrypted")]

    operations = [
        migrations.RunPython(
            partial(encrypt_columns_in_place, fields=FIELDS, forward=True),
            partial(encrypt_columns_in_place, fields=FIELDS, forward=False),
        )
    ]
