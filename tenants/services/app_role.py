"""What the application's database role may do in a schema: the one place that grants it.

In production the web, worker and beat processes connect as a role that owns
nothing (`DATABASE_APP_ROLE`); migrations and onboarding's DDL run as the owner
of the schemas. The application role reads and writes the ordinary tables,
only appends to and reads the audit log, and only reads `django_migrations`.
PostgreSQL then refuses it UPDATE, DELETE and TRUNCATE on audit lines, and
ALTER TABLE / DROP TRIGGER (those need ownership) and
`session_replication_role` (that needs a superuser).
"""

from django.conf import settings
from django.db import connection

AUDIT_TABLE = "audit_auditentry"
MIGRATIONS_TABLE = "django_migrations"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def app_role() -> str:
    """The application's role, or "" where one role does everything (a bare developer set-up)."""
    role = settings.DATABASE_APP_ROLE
    return "" if role == connection.settings_dict["USER"] else role


def privilege_statements(
    schema_sql: str,
    role: str,
    tables: list[str] | None = None,
    sequences: list[str] | None = None,
) -> list[str]:
    """GRANT/REVOKE statements for `role` in a schema given as SQL (quoted name or placeholder).

    With the schema's tables and sequences named, the grants look each one up
    by name; `ALL TABLES IN SCHEMA` reads all of pg_class, which grows with
    every region (onboarding names them, a migrated schema does not need to).
    """
    role_sql = quote_ident(role)

    def objects(kind: str, names: list[str] | None) -> str:
        if names is None:
            return f"ALL {kind}S IN SCHEMA {schema_sql}"
        return f"{kind} " + ", ".join(f"{schema_sql}.{quote_ident(name)}" for name in names)

    return [
        f"GRANT USAGE ON SCHEMA {schema_sql} TO {role_sql}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {objects('TABLE', tables)} TO {role_sql}",
        f"GRANT USAGE ON {objects('SEQUENCE', sequences)} TO {role_sql}",
        f"REVOKE UPDATE, DELETE ON {schema_sql}.{AUDIT_TABLE} FROM {role_sql}",
        f"REVOKE INSERT, UPDATE, DELETE ON {schema_sql}.{MIGRATIONS_TABLE} FROM {role_sql}",
    ]


def grant_app_privileges(schemas: list[str]) -> None:
    """Give the application role what it needs in each (migrated) schema; run as the owner."""
    role = app_role()
    if not role:
        return
    with connection.cursor() as cursor:
        for schema in schemas:
            for statement in privilege_statements(quote_ident(schema), role):
                cursor.execute(statement)


def schemas_missing_privileges(schemas: list[str]) -> list[str]:
    """The schemas where the application role cannot yet use every table: one catalogue query."""
    role = app_role()
    if not role or not schemas:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT n.nspname FROM pg_catalog.pg_namespace n "
            "LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relkind = 'r' "
            "WHERE n.nspname = ANY(%s) AND (NOT has_schema_privilege(%s, n.oid, 'USAGE') "
            "OR (c.oid IS NOT NULL AND NOT has_table_privilege(%s, c.oid, 'SELECT')))",
            [schemas, role, role],
        )
        return sorted(row[0] for row in cursor.fetchall())
