"""`manage.py reencrypt`: rewrite every encrypted value under the newest key (after key rotation)."""

from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction

from shield.core.encryption import PREFIX, EncryptedTextField, reencrypt


def _rotate_table(model: type[models.Model], columns: list[str], batch_size: int) -> int:
    """Walk the table by primary key in batches; raw SQL so tokens are read and written as
    stored, and no save() logic, version bump or audit event is triggered by a key change."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    selected = ", ".join(quote(c) for c in columns)
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    rewritten, last = 0, None
    while True:
        with connection.cursor() as cursor:
            where = f"WHERE {pk} > %s " if last is not None else ""
            cursor.execute(
                f"SELECT {pk}, {selected} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608
                ([last] if last is not None else []) + [batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return rewritten
        with transaction.atomic(), connection.cursor() as cursor:
            for key, *values in rows:
                new = [reencrypt(v) if isinstance(v, str) and v.startswith(PREFIX) else v for v in values]
                if new != values:
                    cursor.execute(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [*new, key])  # noqa: S608
                    rewritten += 1
        last = rows[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt every EncryptedTextField value with the first key in SHIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if columns:
                count = _rotate_table(model, columns, options["batch_size"])
                total += count
                self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        self.stdout.write(f"Done: {total} rows now under the newest key.")
