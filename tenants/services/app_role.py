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
    schema_sql: str, role: str, tables: list[str], sequences: list[str]
) -> list[str]:
    """GRANT/REVOKE statements for `role` in a schema given as SQL (quoted name or placeholder).

    The tables and sequences are named: `ALL TABLES IN SCHEMA` would read the
    whole of pg_class for each schema, which grows with every region.
    """
    role_sql = quote_ident(role)

    def named(names: list[str]) -> str:
        return ", ".join(f"{schema_sql}.{quote_ident(name)}" for name in names)

    statements = [f"GRANT USAGE ON SCHEMA {schema_sql} TO {role_sql}"]
    if tables:
        statements.append(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {named(tables)} TO {role_sql}"
        )
    if sequences:
        statements.append(f"GRANT USAGE ON SEQUENCE {named(sequences)} TO {role_sql}")
    if AUDIT_TABLE in tables:
        statements.append(f"REVOKE UPDATE, DELETE ON {schema_sql}.{AUDIT_TABLE} FROM {role_sql}")
    if MIGRATIONS_TABLE in tables:
        statements.append(
            f"REVOKE INSERT, UPDATE, DELETE ON {schema_sql}.{MIGRATIONS_TABLE} FROM {role_sql}"
        )
    return statements


def grant_app_privileges(schemas: list[str]) -> None:
    """Give the application role what it needs in each (migrated) schema; run as the owner."""
    role = app_role()
    if not role or not schemas:
        return
    found: dict[str, dict[str, list[str]]] = {schema: {"r": [], "S": []} for schema in schemas}
    with connection.cursor() as cursor:
        # One read of pg_class for every schema at once.
        cursor.execute(
            "SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'S') ORDER BY c.relname",
            [schemas],
        )
        for schema, name, kind in cursor.fetchall():
            found[schema][kind].append(name)
        for schema in schemas:
            objects = found[schema]
            for statement in privilege_statements(
                quote_ident(schema), role, tables=objects["r"], sequences=objects["S"]
            ):
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
