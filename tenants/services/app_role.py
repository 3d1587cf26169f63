"""Which database role may do what in a schema: the one place that grants it.

In production the web, worker and beat processes connect as a role that owns
nothing (`DATABASE_APP_ROLE`); migrations and onboarding's DDL run as the owner
of the schemas. The application role itself has rights in the public schema
only. Each region has a role of its own (`<database>_r_<schema>`, NOLOGIN),
with rights on its own schema and on the few public tables a region's code
reads; the application role is a member of every region role, without
inheriting its rights, and a request or task in a region acts as that role
(`SET ROLE`, sent by the database backend with the `search_path`). A region
role reads and writes the ordinary tables, only appends to and reads the audit
log, and only reads `django_migrations`. PostgreSQL then refuses it another
region's tables, UPDATE, DELETE and TRUNCATE on audit lines, ALTER TABLE /
DROP TRIGGER (those need ownership) and `session_replication_role` (that
needs a superuser). See docs/database-roles.md.
"""

import hashlib

from django.conf import settings
from django.db import connection

AUDIT_TABLE = "audit_auditentry"
MIGRATIONS_TABLE = "django_migrations"
# What a region's own code reads in public: its Region and Domain rows (links in
# e-mail, the benchmark's region) and the national benchmark figures it compares with.
# Writes to public (the benchmark, open role grants) are the platform's: they run as
# the application role, in the public schema.
PUBLIC_TABLES_FOR_REGIONS = ("tenants_region", "tenants_domain", "benchmark_benchmarkfigure")
# A role name holds at most 63 bytes; a schema name here up to 40 (a slug's length).
LONGEST_DATABASE_PART = 20


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def app_role() -> str:
    """The application's role, or "" where one role does everything (a bare developer set-up)."""
    role = settings.DATABASE_APP_ROLE
    return "" if role == connection.settings_dict["USER"] else role


def region_role_prefix(database: str) -> str:
    """The start of every region role's name: roles are per server, so it names the database.

    A long database name (a test's own) is shortened with a hash of it, so that
    a 40-character schema still fits.
    """
    if len(database) > LONGEST_DATABASE_PART:
        digest = hashlib.sha256(database.encode()).hexdigest()[:8]
        database = f"{database[: LONGEST_DATABASE_PART - 9]}_{digest}"
    return f"{database}_r_"


def region_roles_in_use() -> bool:
    """Whether requests and tasks act as region roles: wherever there is an application role,
    also in a process connected as that role or as the owner (both may SET ROLE to them)."""
    return bool(settings.DATABASE_APP_ROLE)


def region_role(schema: str) -> str:
    """The role a region's requests and tasks act as; "" where there are no region roles."""
    if not region_roles_in_use() or schema in ("public", settings.TENANT_BASE_SCHEMA):
        return ""
    return region_role_prefix(connection.settings_dict["NAME"]) + schema


def privilege_statements(
    schema_sql: str, role_sql: str, tables: list[str], sequences: list[str]
) -> list[str]:
    """GRANT/REVOKE statements for a role in a schema, both given as SQL (quoted name or placeholder).

    The tables and sequences are named: `ALL TABLES IN SCHEMA` would read the
    whole of pg_class for each schema, which grows with every region.
    """

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


def region_role_statements(schema_sql: str, role_sql: str) -> list[str]:
    """What a region role gets beside its own tables: tables created later, and public's few."""
    return default_privilege_statements(schema_sql, role_sql) + public_statements(role_sql)


def default_privilege_statements(schema_sql: str, role_sql: str) -> list[str]:
    """Tables and sequences a later migration creates (as the owner) are the region's too;
    the deploy's grants after migrating then only narrow them (the audit log)."""
    return [
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_sql} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role_sql}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_sql} GRANT USAGE ON SEQUENCES TO {role_sql}",
    ]


def public_statements(role_sql: str) -> list[str]:
    """A region role's rights in the public schema. Every region is granted them on the
    same objects, and two transactions granting on one object at once fail ("tuple
    concurrently updated"): onboarding takes a lock for these (tenants.services.blueprint)."""
    public_tables = ", ".join(f"public.{quote_ident(name)}" for name in PUBLIC_TABLES_FOR_REGIONS)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role_sql}",
        f"GRANT SELECT ON TABLE {public_tables} TO {role_sql}",
    ]


def revoke_statements(
    schema_sql: str, role_sql: str, tables: list[str], sequences: list[str]
) -> list[str]:
    """Take back what the single application role was given in a region before region roles."""

    def named(names: list[str]) -> str:
        return ", ".join(f"{schema_sql}.{quote_ident(name)}" for name in names)

    statements = [f"REVOKE ALL ON SCHEMA {schema_sql} FROM {role_sql}"]
    if tables:
        statements.append(f"REVOKE ALL ON TABLE {named(tables)} FROM {role_sql}")
    if sequences:
        statements.append(f"REVOKE ALL ON SEQUENCE {named(sequences)} FROM {role_sql}")
    return statements


def ensure_region_role(cursor, role: str) -> None:
    """Create a region's role if it is missing, and let the application role (and the owner)
    act as it.

    The application role must not inherit what its region roles may (PostgreSQL 15
    sets that per member, not per grant): in the public schema it acts as itself.
    """
    app = app_role()
    cursor.execute(
        "SELECT rolname, rolinherit FROM pg_catalog.pg_roles WHERE rolname IN (%s, %s)",
        [role, app],
    )
    found = dict(cursor.fetchall())
    if found.get(app):
        cursor.execute(f"ALTER ROLE {quote_ident(app)} NOINHERIT")
    if role not in found:
        cursor.execute(f"CREATE ROLE {quote_ident(role)} NOLOGIN")
    # The owner too may act as the region (a command that onboards or seeds a region).
    cursor.execute(f"GRANT {quote_ident(role)} TO {quote_ident(app)}, CURRENT_USER")


def grant_app_privileges(schemas: list[str]) -> None:
    """Give each (migrated) schema's role what it needs there; run as the owner.

    The public schema's role is the application role; a region's is its own role,
    created here when it is missing (a region onboarded before region roles), and
    the application role loses any right it had there.
    """
    app = app_role()
    if not app or not schemas:
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
            schema_sql, role = quote_ident(schema), region_role(schema)
            statements = privilege_statements(
                schema_sql, quote_ident(role or app), tables=objects["r"], sequences=objects["S"]
            )
            if role:
                ensure_region_role(cursor, role)
                statements += region_role_statements(schema_sql, quote_ident(role))
                statements += revoke_statements(
                    schema_sql, quote_ident(app), tables=objects["r"], sequences=objects["S"]
                )
            for statement in statements:
                cursor.execute(statement)


def schemas_missing_privileges(schemas: list[str]) -> list[str]:
    """The schemas whose role cannot yet use every table, or where the application role
    still has rights of its own in a region: one catalogue query."""
    app = app_role()
    if not app or not schemas:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT n.nspname FROM pg_catalog.pg_namespace n "
            "LEFT JOIN pg_catalog.pg_roles r ON n.nspname <> 'public' "
            "AND r.rolname = %(prefix)s || n.nspname "
            "LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relkind = 'r' "
            "WHERE n.nspname = ANY(%(schemas)s) AND CASE WHEN n.nspname = 'public' THEN "
            "NOT has_schema_privilege(%(app)s, n.oid, 'USAGE') "
            "OR (c.oid IS NOT NULL AND NOT has_table_privilege(%(app)s, c.oid, 'SELECT')) "
            "ELSE r.oid IS NULL OR NOT pg_has_role(%(app)s, r.oid, 'MEMBER') "
            "OR has_schema_privilege(%(app)s, n.oid, 'USAGE') "
            "OR NOT has_schema_privilege(r.oid, n.oid, 'USAGE') "
            "OR (c.oid IS NOT NULL AND NOT has_table_privilege(r.oid, c.oid, 'SELECT')) END",
            {
                "schemas": schemas,
                "app": app,
                "prefix": region_role_prefix(connection.settings_dict["NAME"]),
            },
        )
        return sorted(row[0] for row in cursor.fetchall())
