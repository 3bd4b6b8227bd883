"""Encryption at rest for narratives and contact details (DESIGN.md rule 9).

Keys come from `SHIELD_ENCRYPTION_KEYS` (Fernet keys, comma-separated). The first key encrypts;
every key decrypts, so a new key can be put first and old rows re-encrypted later
(`manage.py reencrypt`) without losing anything.
"""

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SHIELD_ENCRYPTION_KEYS is empty: encrypted fields cannot be used.")
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.SHIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("Not an encrypted value.")
    try:
        return cipher().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with the configured SHIELD_ENCRYPTION_KEYS "
            "(was the key that wrote it removed?)."
        ) from exc


def reencrypt(stored: str) -> str:
    """The same plaintext under the first (newest) key."""
    return PREFIX + cipher().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token: unreadable in the database or a dump without the key.

    Encrypted values cannot be searched or ordered by the database; keep searchable facts in
    other fields. The empty string is stored as it is, so "no value" stays visible.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def encrypt_columns_in_place(
    apps: Any, schema_editor: Any, fields: dict[str, list[str]], *, forward: bool
) -> None:
    """Data migration for a text field that becomes an EncryptedTextField: encrypt (or, undoing,
    decrypt) the values already stored. Raw SQL, so neither save() nor the field's own conversion
    runs on values still in the other form. `fields` maps "app_label.Model" to field names."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for label, names in fields.items():
        model = apps.get_model(label)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        for name in names:
            column = quote(model._meta.get_field(name).column)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
                rows = cursor.fetchall()
            with connection.cursor() as cursor:
                for key, value in rows:
                    if not isinstance(value, str) or value.startswith(PREFIX) != (not forward):
                        continue
                    new = encrypt(value) if forward else decrypt(value)
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [new, key])  # noqa: S608
