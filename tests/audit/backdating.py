"""Audit lines at a moment a test chooses: the database refuses any time but its own,
so the test, as the database's owner, lifts the chain trigger for that one insert
(within its own transaction). Such a line stands outside the chain, as a forged one would."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from tenants.services.app_role import quote_ident


@contextmanager
def as_connected_role() -> Iterator:
    """A cursor as the role the test connected as (the owner), not the region's role that
    the connection takes in a region; the region's role is taken again afterwards."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, session_user")
        [(current, session)] = cursor.fetchall()
        cursor.execute("RESET ROLE")
        try:
            yield cursor
        finally:
            if current != session:
                cursor.execute(f"SET ROLE {quote_ident(current)}")


def insert_backdated(statement: str, params=()) -> list[tuple]:
    with as_connected_role() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_chain")
        cursor.execute(statement, params)
        rows = cursor.fetchall() if cursor.description else []
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_chain")
    return rows
