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
from psycopg2 import sql

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


def encrypt_columns(table: str, columns: list[str]) -> int:
    """Rewrite `columns` of every row of `table` in the current schema as tokens under
    the region's newest key; empty values stay empty. For data migrations."""
    return rewrite(table, columns, lambda value: encrypt(plain_value(value)) if value else value)


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


def rotate_schema() -> int:
    """Re-encrypt every token of the current schema that is not under the newest key;
    returns how many values were rewritten."""
    existing = set(connection.introspection.table_names())
    return sum(
        rewrite(table, columns, rotated)
        for table, columns in encrypted_columns().items()
        if table in existing
    )


def rewrite(table: str, columns: list[str], transform, batch_size: int = 200) -> int:
    """Apply `transform` to `columns` of every row of `table`, a batch of rows at a time
    (attachments can be large), writing back only what changed; returns how many values."""
    names = [sql.Identifier(column) for column in columns]
    select = sql.SQL("SELECT id, {} FROM {} WHERE id > %s ORDER BY id LIMIT %s").format(
        sql.SQL(", ").join(names), sql.Identifier(table)
    )
    update = sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.SQL("{} = %s").format(n) for n in names)
    )
    rewritten, last_id = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(select, [last_id, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return rewritten
        updates = []
        for row_id, *values in rows:
            new = [transform(value) for value in values]
            changed = sum(
                bytes(old) != bytes(value) if isinstance(old, memoryview) else old != value
                for old, value in zip(values, new, strict=True)
            )
            if changed:
                rewritten += changed
                updates.append([*new, row_id])
        with connection.cursor() as cursor:
            cursor.executemany(update, updates)
        last_id = rows[-1][0]
