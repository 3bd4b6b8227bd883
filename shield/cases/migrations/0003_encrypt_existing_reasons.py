"""Encrypt the reasons and notes already stored in plain text (0002 made the fields encrypted)."""

from functools import partial

from django.db import migrations

from shield.core.encryption import encrypt_columns_in_place

FIELDS = {
    "cases.Case": ["closure_reason"],
    "cases.CaseStageChange": ["reason"],
    "cases.TraffickingPlace": ["removal_reason"],
    "cases.CarePlan": ["decision_note"],
    "cases.CarePlanAction": ["cancel_reason"],
    "cases.Consent": ["withdrawal_reason"],
    "cases.CaseTransfer": ["reason", "legal_basis", "decision_note"],
    "cases.CaseAccess": ["reason", "legal_basis", "revocation_reason"],
    "cases.ClosureRequest": ["reason", "decision_note"],
}


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_reasons_encrypted")]

    operations = [
        migrations.RunPython(
            partial(encrypt_columns_in_place, fields=FIELDS, forward=True),
            partial(encrypt_columns_in_place, fields=FIELDS, forward=False),
        )
    ]
