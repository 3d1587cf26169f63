"""Audit lines at a moment a test chooses: the database refuses any time but its own,
so the test, as the database's owner, lifts the chain trigger for that one insert
(within its own transaction). Such a line stands outside the chain, as a forged one would."""

from django.db import connection


def insert_backdated(statement: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_chain")
        cursor.execute(statement, params)
        rows = cursor.fetchall() if cursor.description else []
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_chain")
    return rows
