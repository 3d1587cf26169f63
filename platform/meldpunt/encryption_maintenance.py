"""Rewriting stored tokens: bringing values under the region's own keys in a data
migration, and under the newest key after a key rotation.

In a migration a value may be plain text (a column that was not encrypted before), a
token under the platform-wide keys of the first releases, or already a token under
the region's keys. The audit log is append-only, also for this: its old and new
values stay under the key they were written with, so a retired key stays in
FIELD_ENCRYPTION_KEYS (as an older key) until the audit lines under it have expired.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import connection

from meldpunt.encryption import ENCRYPTED_FIELDS, cipher, decrypt, encrypt, is_current

APPEND_ONLY_TABLES = frozenset({"audit_auditentry"})


def legacy_cipher() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def plain_value(value: str) -> str:
    """The plain text of a stored value, whichever of the three forms it has."""
    try:
        return decrypt(value)
    except InvalidToken:
        pass
    try:
        return legacy_cipher().decrypt(value.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError, ValueError):
        return value


def encrypt_columns(table: str, columns: list[str]) -> None:
    """Rewrite `columns` of every row of `table` in the current schema as tokens under
    the region's newest key; empty values stay empty."""
    with connection.cursor() as cursor:
        selected = ", ".join(f'"{column}"' for column in columns)
        cursor.execute(f'SELECT id, {selected} FROM "{table}"')  # noqa: S608
        rows = cursor.fetchall()
        for row_id, *values in rows:
            updated = [encrypt(plain_value(value)) if value else value for value in values]
            assignments = ", ".join(f'"{column}" = %s' for column in columns)
            cursor.execute(
                f'UPDATE "{table}" SET {assignments} WHERE id = %s',  # noqa: S608
                [*updated, row_id],
            )


def encrypted_columns() -> dict[str, list[str]]:
    """Every table of the current schema's models with encrypted columns, and those columns."""
    tables: dict[str, list[str]] = {}
    for model in apps.get_models():
        columns = [
            field.column
            for field in model._meta.concrete_fields
            if isinstance(field, ENCRYPTED_FIELDS)
        ]
        if columns and model._meta.db_table not in APPEND_ONLY_TABLES:
            tables[model._meta.db_table] = columns
    return tables


def rotated(value: str | memoryview | None) -> str | bytes | None:
    """`value` under the newest key (text tokens stay text, file tokens bytes)."""
    if not value:
        return value
    token = bytes(value) if isinstance(value, memoryview) else value.encode("ascii")
    if is_current(token):
        return value
    new = cipher().rotate(token)
    return new if isinstance(value, memoryview) else new.decode("ascii")


def rotate_schema(batch_size: int = 200) -> int:
    """Re-encrypt every token of the current schema that is not under the newest key, a
    batch of rows at a time (attachments can be large); returns how many were rewritten."""
    rewritten = 0
    existing = set(connection.introspection.table_names())
    for table, columns in encrypted_columns().items():
        if table not in existing:
            continue
        selected = ", ".join(f'"{column}"' for column in columns)
        assignments = ", ".join(f'"{column}" = %s' for column in columns)
        last_id = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT id, {selected} FROM "{table}" WHERE id > %s ORDER BY id LIMIT %s',  # noqa: S608
                    [last_id, batch_size],
                )
                rows = cursor.fetchall()
            if not rows:
                break
            updates = []
            for row_id, *values in rows:
                new = [rotated(value) for value in values]
                changed = sum(
                    bytes(old) != bytes(value) if isinstance(old, memoryview) else old != value
                    for old, value in zip(values, new, strict=True)
                )
                if changed:
                    rewritten += changed
                    updates.append([*new, row_id])
            with connection.cursor() as cursor:
                cursor.executemany(
                    f'UPDATE "{table}" SET {assignments} WHERE id = %s',  # noqa: S608
                    updates,
                )
            last_id = rows[-1][0]
    return rewritten
