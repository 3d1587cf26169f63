"""A new region's schema from DDL read once per migration state of the template schema.

django-tenants' `clone_schema` looks names up through `information_schema`
views that span every schema, so onboarding grew slower with every region.
Here `migrate_schemas` reads the template schema's own namespace in
`pg_catalog` once, after the template has been migrated, and stores the
statements in a database function, `meldpunt_create_region_schema(name)`.
Onboarding calls that function inside its own transaction: it creates the
schema, its tables, identity sequences, functions, indexes, constraints and
triggers (the audit log's append-only triggers among them), copies the
template's rows (migration records, content types, permissions, roles), sets
every sequence to the template's value, creates the region's database role
and grants it what `app_role` says. Its cost does not depend on the number of
regions.

The function is SECURITY DEFINER and owned by the schema owner, so the web
process, which connects as a role that may not create schemas, can still
onboard a region from the national administrator's screen: it may call this
one function, which accepts nothing but a plain schema name. The function
refuses to run when the template's migrations no longer match the statements
it holds. Objects the blueprint cannot express (views, custom types,
partitions, row security, extensions) make generation fail loudly instead of
producing a region that differs from a migrated one.
"""

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from tenants.services.app_role import (
    app_role,
    default_privilege_statements,
    privilege_statements,
    public_statements,
    quote_ident,
    region_role_prefix,
    region_roles_in_use,
)

FUNCTION = "public.meldpunt_create_region_schema"
PLACEHOLDER = "@@regio@@"
ROLE_PLACEHOLDER = "@@rol@@"
# Raise when the generator changes, so every database regenerates its blueprint.
GENERATOR_VERSION = 5
SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

FINGERPRINT_SQL = (
    "SELECT md5(coalesce(string_agg(app || '.' || name, ',' ORDER BY app, name), '')) "
    "FROM {schema}.django_migrations"
)


class BlueprintError(Exception):
    """The template holds something the blueprint cannot reproduce, or is missing."""


@dataclass(frozen=True)
class Blueprint:
    """A schema's statements in three phases: empty objects, copied rows, then what checks them."""

    structure: list[str]
    rows: list[str]
    finish: list[str]
    # Per table, the columns that take values (generated columns do not).
    columns: dict[str, list[str]]
    sequences: list[str]
    fingerprint: str

    @property
    def statements(self) -> list[str]:
        return self.structure + self.rows + self.finish


def template_schema() -> str:
    return settings.TENANT_BASE_SCHEMA


def _rows(sql: str, params: list | dict | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Reader:
    """Reads one namespace of pg_catalog and turns it into statements with a placeholder."""

    def __init__(self, cursor, schema: str) -> None:
        # One cursor throughout: a new one would reset the search_path this reading relies on.
        self.cursor = cursor
        self.schema = schema
        found = self.rows("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema])
        if not found:
            raise BlueprintError(f"schema {schema} does not exist")
        self.namespace = found[0][0]
        self.qualified = re.compile(r'(?<![\w"])' + re.escape(schema) + r"\.")

    def rows(self, sql: str, params: list | dict | None = None) -> list[tuple]:
        self.cursor.execute(sql, params)
        return self.cursor.fetchall()

    def local(self, text: str) -> str:
        """Catalogue output qualifies names with the source schema; point them at the new one."""
        text = self.qualified.sub(PLACEHOLDER + ".", text)
        if re.search(r"\b" + re.escape(self.schema) + r"\b", text):
            raise BlueprintError(f"cannot re-target a statement that names {self.schema}: {text}")
        return text

    def table(self, name: str) -> str:
        return f"{PLACEHOLDER}.{quote_ident(name)}"

    def refuse_what_cannot_be_expressed(self) -> None:
        ns = {"ns": self.namespace}
        checks = {
            "relations other than tables, indexes and sequences": "SELECT relname FROM pg_class "
            "WHERE relnamespace = %(ns)s AND relkind NOT IN ('r', 'i', 'S')",
            "types of their own": "SELECT typname FROM pg_type WHERE typnamespace = %(ns)s "
            "AND typrelid = 0 AND typcategory <> 'A'",
            "row security policies": "SELECT polname FROM pg_policy p JOIN pg_class c "
            "ON c.oid = p.polrelid WHERE c.relnamespace = %(ns)s",
            "rules": "SELECT rulename FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class "
            "WHERE c.relnamespace = %(ns)s",
            "inheritance": "SELECT c.relname FROM pg_inherits i JOIN pg_class c "
            "ON c.oid = i.inhrelid WHERE c.relnamespace = %(ns)s",
            "column privileges": "SELECT a.attname FROM pg_attribute a JOIN pg_class c "
            "ON c.oid = a.attrelid WHERE c.relnamespace = %(ns)s AND a.attacl IS NOT NULL",
            "extensions": "SELECT extname FROM pg_extension WHERE extnamespace = %(ns)s",
            "aggregates or window functions": "SELECT proname FROM pg_proc "
            "WHERE pronamespace = %(ns)s AND prokind NOT IN ('f', 'p')",
            "constraint triggers": "SELECT conname FROM pg_constraint con JOIN pg_class c "
            "ON c.oid = con.conrelid WHERE c.relnamespace = %(ns)s AND con.contype = 't'",
        }
        for what, sql in checks.items():
            found = self.rows(sql, ns)
            if found:
                names = ", ".join(sorted(str(row[0]) for row in found))
                raise BlueprintError(f"the template has {what} ({names}): not supported")

    def functions(self) -> list[str]:
        rows = self.rows(
            "SELECT pg_get_functiondef(oid), proacl IS NOT NULL, "
            "quote_ident(proname) || '(' || pg_get_function_identity_arguments(oid) || ')' "
            "FROM pg_proc WHERE pronamespace = %s ORDER BY proname, oid",
            [self.namespace],
        )
        statements = [self.local(definition) for definition, _, _ in rows]
        for _, has_acl, signature in rows:
            if has_acl:
                statements += self.acl(
                    "FUNCTION", f"{PLACEHOLDER}.{signature}", "pg_proc", signature
                )
        return statements

    def sequences(self) -> dict[str, dict]:
        """Every sequence with its options and, for identity and serial ones, its column."""
        rows = self.rows(
            "SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, "
            "s.seqmin, s.seqmax, s.seqcache, s.seqcycle, d.deptype, t.relname, a.attname "
            "FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid "
            "LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid "
            "AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
            "LEFT JOIN pg_class t ON t.oid = d.refobjid "
            "LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
            "WHERE c.relnamespace = %s ORDER BY c.relname",
            [self.namespace],
        )
        return {
            name: {
                "type": type_name,
                "options": (
                    f"START WITH {start} INCREMENT BY {increment} MINVALUE {minimum} "
                    f"MAXVALUE {maximum} CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
                ),
                "dependency": dependency,
                "column": (table, column) if table else None,
            }
            for (
                name,
                type_name,
                start,
                increment,
                minimum,
                maximum,
                cache,
                cycle,
                dependency,
                table,
                column,
            ) in rows
        }

    def tables(self, sequences: dict[str, dict]) -> tuple[list[str], dict[str, list[str]]]:
        """CREATE TABLE statements (columns, defaults, identity) and each table's insertable columns."""
        identity = {
            spec["column"]: name for name, spec in sequences.items() if spec["dependency"] == "i"
        }
        rows = self.rows(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
            "CASE WHEN a.attcollation <> t.typcollation THEN "
            "quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END, "
            "c.relpersistence "
            "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "JOIN pg_type t ON t.oid = a.atttypid "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
            "LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace "
            "WHERE c.relnamespace = %s AND c.relkind = 'r' AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
            [self.namespace],
        )
        columns: dict[str, list[str]] = {}
        insertable: dict[str, list[str]] = {}
        unlogged: set[str] = set()
        for (
            table,
            name,
            type_sql,
            not_null,
            default,
            ident,
            generated,
            collation,
            persistence,
        ) in rows:
            parts = [quote_ident(name), type_sql]
            if collation:
                parts.append(f"COLLATE {collation}")
            if generated == "s":
                parts.append(f"GENERATED ALWAYS AS ({self.local(default)}) STORED")
            elif ident:
                sequence = identity[(table, name)]
                kind = "ALWAYS" if ident == "a" else "BY DEFAULT"
                parts.append(
                    f"GENERATED {kind} AS IDENTITY (SEQUENCE NAME "
                    f"{self.table(sequence)} {sequences[sequence]['options']})"
                )
            elif default is not None:
                parts.append(f"DEFAULT {self.local(default)}")
            if not_null:
                parts.append("NOT NULL")
            columns.setdefault(table, []).append(" ".join(parts))
            if generated != "s":
                insertable.setdefault(table, []).append(quote_ident(name))
            if persistence == "u":
                unlogged.add(table)
        statements = [
            f"CREATE {'UNLOGGED ' if table in unlogged else ''}TABLE {self.table(table)} "
            f"({', '.join(definitions)})"
            for table, definitions in columns.items()
        ]
        return statements, insertable

    def standalone_sequences(self, sequences: dict[str, dict]) -> tuple[list[str], list[str]]:
        """Sequences that are not identity columns: created before the tables, owned after."""
        create, own = [], []
        for name, spec in sequences.items():
            if spec["dependency"] == "i":
                continue
            create.append(f"CREATE SEQUENCE {self.table(name)} AS {spec['type']} {spec['options']}")
            if spec["dependency"] == "a":
                table, column = spec["column"]
                own.append(
                    f"ALTER SEQUENCE {self.table(name)} OWNED BY "
                    f"{self.table(table)}.{quote_ident(column)}"
                )
        return create, own

    def data(self, insertable: dict[str, list[str]], sequences: dict[str, dict]) -> list[str]:
        """Copy the template's rows (read at clone time) and its sequence positions."""
        # Every name below comes from the catalogue and is quoted: no user input reaches the SQL.
        source = quote_ident(self.schema)
        statements = []
        for table, columns in insertable.items():
            exists = f"SELECT EXISTS (SELECT 1 FROM {source}.{quote_ident(table)})"  # noqa: S608
            if self.rows(exists)[0][0]:
                column_list = ", ".join(columns)
                copy = f"INSERT INTO {self.table(table)} ({column_list}) OVERRIDING SYSTEM VALUE "
                statements.append(
                    copy + f"SELECT {column_list} FROM {source}.{quote_ident(table)}"  # noqa: S608
                )
        for name in sequences:
            target = f"{PLACEHOLDER}.{quote_ident(name)}".replace("'", "''")
            position = f"SELECT setval('{target}', last_value, is_called) FROM "  # noqa: S608
            statements.append(position + f"{source}.{quote_ident(name)}")
        return statements

    def constraints(self) -> tuple[list[str], list[str]]:
        """Primary keys, unique, check and exclusion constraints first; foreign keys last."""
        rows = self.rows(
            "SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) "
            "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
            "WHERE c.relnamespace = %s ORDER BY c.relname, con.conname",
            [self.namespace],
        )
        own, foreign = [], []
        for table, name, kind, definition in rows:
            statement = (
                f"ALTER TABLE {self.table(table)} ADD CONSTRAINT {quote_ident(name)} "
                f"{self.local(definition)}"
            )
            (foreign if kind == "f" else own).append(statement)
        return own, foreign

    def indexes(self) -> list[str]:
        rows = self.rows(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relnamespace = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint con "
            "WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
            "AND con.contype IN ('p', 'u', 'x')) ORDER BY c.relname",
            [self.namespace],
        )
        return [self.local(definition) for (definition,) in rows]

    def triggers(self) -> list[str]:
        rows = self.rows(
            "SELECT pg_get_triggerdef(t.oid), t.tgenabled, c.relname, t.tgname "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relnamespace = %s AND NOT t.tgisinternal ORDER BY c.relname, t.tgname",
            [self.namespace],
        )
        statements = []
        for definition, enabled, table, name in rows:
            statements.append(self.local(definition))
            mode = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}.get(enabled)
            if mode:
                statements.append(
                    f"ALTER TABLE {self.table(table)} {mode} TRIGGER {quote_ident(name)}"
                )
        return statements

    def comments(self) -> list[str]:
        rows = self.rows(
            "SELECT c.relname, a.attname, d.description FROM pg_description d "
            "JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass "
            "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid "
            "AND d.objsubid > 0 WHERE c.relnamespace = %s AND c.relkind = 'r'",
            [self.namespace],
        )
        statements = []
        for table, column, text in rows:
            literal = "'" + text.replace("'", "''") + "'"
            target = (
                f"COLUMN {self.table(table)}.{quote_ident(column)}"
                if column
                else f"TABLE {self.table(table)}"
            )
            statements.append(f"COMMENT ON {target} IS {literal}")
        return statements

    def relation_acls(self) -> list[str]:
        rows = self.rows(
            "SELECT relname, CASE relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END "
            "FROM pg_class WHERE relnamespace = %s AND relkind IN ('r', 'S') "
            "AND relacl IS NOT NULL ORDER BY relname",
            [self.namespace],
        )
        statements = []
        for name, kind in rows:
            statements += self.acl(kind, self.table(name), "pg_class", name)
        return statements

    def acl(self, kind: str, target_sql: str, catalogue: str, name: str) -> list[str]:
        """The object's privileges exactly: everything revoked, then each grant again.

        Except the grants to the application role and the region roles: those are
        given to the new schema's own role (a region's backup must not carry its
        old role's rights to the schema it is restored as).
        """
        if catalogue == "pg_class":
            where, acl, owner = "o.relnamespace = %s AND o.relname = %s", "relacl", "relowner"
        else:
            where = (
                "o.pronamespace = %s AND quote_ident(o.proname) || '(' || "
                "pg_get_function_identity_arguments(o.oid) || ')' = %s"
            )
            acl, owner = "proacl", "proowner"
        grants = self.rows(
            f"SELECT a.privilege_type, a.grantee = o.{owner}, r.rolname, a.is_grantable "  # noqa: S608 (fixed names)
            f"FROM {catalogue} o, aclexplode(o.{acl}) a "
            f"LEFT JOIN pg_roles r ON r.oid = a.grantee WHERE {where} "
            "AND CASE WHEN a.grantee = 0 OR %s = '' THEN true "
            "ELSE NOT pg_has_role(%s, a.grantee, 'MEMBER') END",
            [self.namespace, name, app_role(), app_role()],
        )
        statements = [f"REVOKE ALL ON {kind} {target_sql} FROM PUBLIC, CURRENT_USER"]
        for privilege, to_owner, grantee, grantable in grants:
            role = "CURRENT_USER" if to_owner else (quote_ident(grantee) if grantee else "PUBLIC")
            option = " WITH GRANT OPTION" if grantable else ""
            statements.append(f"GRANT {privilege} ON {kind} {target_sql} TO {role}{option}")
        return statements


@contextmanager
def catalogue_search_path(cursor) -> Iterator[None]:
    """Within a transaction, let every name in catalogue output come out schema-qualified."""
    cursor.execute("SELECT current_setting('search_path')")
    previous = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('search_path', 'pg_catalog', true)")
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('search_path', %s, true)", [previous])


def read_blueprint(schema: str | None = None) -> Blueprint:
    """The statements that build a copy of `schema` (the template by default) under PLACEHOLDER."""
    schema = schema or template_schema()
    with transaction.atomic(), connection.cursor() as cursor, catalogue_search_path(cursor):
        reader = _Reader(cursor, schema)
        reader.refuse_what_cannot_be_expressed()
        sequences = reader.sequences()
        create_sequences, own_sequences = reader.standalone_sequences(sequences)
        create_tables, insertable = reader.tables(sequences)
        own_constraints, foreign_keys = reader.constraints()
        blueprint = Blueprint(
            structure=[*reader.functions(), *create_sequences, *create_tables, *own_sequences],
            rows=reader.data(insertable, sequences),
            finish=[
                *own_constraints,
                *reader.indexes(),
                *foreign_keys,
                *reader.triggers(),
                *reader.comments(),
                *reader.relation_acls(),
            ],
            columns=insertable,
            sequences=list(sequences),
            fingerprint=fingerprint_of(cursor, schema),
        )
    return blueprint


def fingerprint_of(cursor, schema: str) -> str:
    """The applied migrations of a schema, as one hash."""
    cursor.execute(FINGERPRINT_SQL.format(schema=quote_ident(schema)))
    return cursor.fetchone()[0]


def marker(fingerprint: str, role: str) -> str:
    """What the installed function was generated from; a different one means regenerate."""
    source = f"{GENERATOR_VERSION}:{template_schema()}:{fingerprint}:{role}"
    return "meldpunt blueprint " + hashlib.sha256(source.encode()).hexdigest()


def installed_marker() -> str | None:
    rows = _rows(
        "SELECT obj_description(p.oid, 'pg_proc') FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public' AND p.proname = 'meldpunt_create_region_schema'"
    )
    return rows[0][0] if rows else None


def roles_part() -> str:
    """The roles the function names: the application role and the start of region roles'."""
    role = app_role()
    return f"{role}:{region_role_prefix(connection.settings_dict['NAME'])}" if role else ""


def current_marker() -> str:
    with connection.cursor() as cursor:
        return marker(fingerprint_of(cursor, template_schema()), roles_part())


def is_current() -> bool:
    return installed_marker() == current_marker()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install(blueprint: Blueprint) -> None:
    """(Re)create the onboarding function from a blueprint; run as the schemas' owner."""
    role = settings.DATABASE_APP_ROLE if region_roles_in_use() else ""
    grants = privilege_statements(
        PLACEHOLDER, ROLE_PLACEHOLDER, tables=list(blueprint.columns), sequences=blueprint.sequences
    ) + default_privilege_statements(PLACEHOLDER, ROLE_PLACEHOLDER)
    statements = blueprint.statements + (grants if role else [])
    shared = public_statements(ROLE_PLACEHOLDER) if role else []
    # The region's own role, before its schema: its grants name it.
    create_role = (
        f"""
    region_role := {_literal(region_role_prefix(connection.settings_dict["NAME"]))} || target;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = region_role) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', region_role);
    END IF;
    EXECUTE format('GRANT %I TO %I, CURRENT_USER', region_role, {_literal(role)});"""
        if role
        else ""
    )
    reserved = ", ".join(_literal(name) for name in ("public", template_schema()))
    array = ",\n        ".join(_literal(statement) for statement in statements)
    shared_array = ",\n        ".join(_literal(statement) for statement in shared)
    body = f"""
DECLARE
    statement text;
    region_role text := '';  -- none where one role does everything
BEGIN
    IF target !~ '^[a-z][a-z0-9_]{{0,62}}$' OR target IN ({reserved}) OR target LIKE 'pg\\_%' THEN
        RAISE EXCEPTION 'not a region schema name: %', target USING ERRCODE = 'invalid_schema_name';
    END IF;
    IF ({FINGERPRINT_SQL.format(schema=quote_ident(template_schema()))})
            <> {_literal(blueprint.fingerprint)} THEN
        RAISE EXCEPTION 'the region blueprint is older than the template schema: run migrate_schemas';
    END IF;
{create_role}
    EXECUTE format('CREATE SCHEMA %I', target);
    FOREACH statement IN ARRAY ARRAY[
        {array}
    ]::text[] LOOP
        EXECUTE replace(
            replace(statement, {_literal(PLACEHOLDER)}, quote_ident(target)),
            {_literal(ROLE_PLACEHOLDER)}, quote_ident(region_role)
        );
    END LOOP;
    -- The grants on the public objects, one onboarding at a time (until its transaction
    -- ends): each region's role is granted on the same objects, and two concurrent GRANTs
    -- on one object fail with "tuple concurrently updated". Building the schema above
    -- does not wait: onboardings of different regions build theirs side by side.
    PERFORM pg_advisory_xact_lock(hashtext({_literal(FUNCTION)}));
    FOREACH statement IN ARRAY ARRAY[
        {shared_array}
    ]::text[] LOOP
        EXECUTE replace(statement, {_literal(ROLE_PLACEHOLDER)}, quote_ident(region_role));
    END LOOP;
END
"""
    if "$blueprint$" in body:
        raise BlueprintError("a statement contains the function's quoting tag")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}(target text) RETURNS void "
            "LANGUAGE plpgsql SECURITY DEFINER "
            "SET search_path = pg_catalog, pg_temp SET check_function_bodies = off "
            f"AS $blueprint${body}$blueprint$"
        )
        cursor.execute(
            f"COMMENT ON FUNCTION {FUNCTION}(text) IS %s",
            [marker(blueprint.fingerprint, roles_part())],
        )
        cursor.execute(f"REVOKE ALL ON FUNCTION {FUNCTION}(text) FROM PUBLIC")
        if role:
            cursor.execute(f"GRANT EXECUTE ON FUNCTION {FUNCTION}(text) TO {quote_ident(role)}")


def refresh() -> bool:
    """Regenerate the onboarding function when the template or the app role changed."""
    if is_current():
        return False
    install(read_blueprint())
    return True


def create_region_schema(schema_name: str) -> None:
    """Create a region's schema from the blueprint, in the caller's transaction."""
    if not SCHEMA_NAME.match(schema_name):
        raise BlueprintError(f"not a region schema name: {schema_name!r}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {FUNCTION}(%s)", [schema_name])
