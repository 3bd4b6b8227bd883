"""The data migration that encrypts reasons stored before they were encrypted, and its undoing."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from shield.cases import services
from shield.cases.models import ClosureRequest, Stage
from shield.cases.tests import factories as f
from shield.core.encryption import encrypt_columns_in_place

pytestmark = pytest.mark.django_db

FIELDS = {"cases.ClosureRequest": ["reason"]}


def stored(pk):
    key = pk.hex if connection.vendor == "sqlite" else pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM cases_closurerequest WHERE id = %s", [key])
        return cursor.fetchone()[0]


def test_plain_reasons_are_encrypted_and_the_migration_undoes_cleanly():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker, agency=team.agency), Stage.SERVICES)
    request = services.closure_request(actor=team.worker, case=case, reason="Đã về với gia đình")
    editor = SimpleNamespace(connection=connection)
    encrypt_columns_in_place(apps, editor, FIELDS, forward=False)  # as a row written before 0003
    assert stored(request.pk) == "Đã về với gia đình"
    encrypt_columns_in_place(apps, editor, FIELDS, forward=True)
    assert stored(request.pk).startswith("fernet:")
    encrypt_columns_in_place(apps, editor, FIELDS, forward=True)  # running twice changes nothing
    assert ClosureRequest.objects.get(pk=request.pk).reason == "Đã về với gia đình"
