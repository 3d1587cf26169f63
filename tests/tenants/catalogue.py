"""A comparable picture of one schema as PostgreSQL's catalogue describes it.

Used to prove that two schemas are built alike (a region from the blueprint
and a migrated one; a restored copy and its original): every table and
column, index, constraint, trigger, function, privilege and sequence, with
the schema's own name and its region role's name taken out.
"""

import re

from django.db import connection, transaction

from tenants.services.app_role import region_role_prefix
from tenants.services.blueprint import catalogue_search_path


def _rows(sql: str, schema: str) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cursor, catalogue_search_path(cursor):
        cursor.execute(sql, {"schema": schema})
        return cursor.fetchall()


ELEMENT_CASTS = re.compile(r"ARRAY\[((?:\('(?:[^']|'')*'::character varying\)::text(?:, )?)+)\]")


def _same_array_casts(text: str) -> str:
    """PostgreSQL writes a reparsed `IN (...)` with the cast on each element, not on the array.

    `(ARRAY['a'::character varying])::text[]` in a migrated schema comes back
    from its own definition as `ARRAY[('a'::character varying)::text]` (pg_dump
    output shows the same); both mean the same, so compare them as one.
    """

    def array_cast(match: re.Match) -> str:
        elements = re.findall(r"\(('(?:[^']|'')*'::character varying)\)::text", match.group(1))
        return f"(ARRAY[{', '.join(elements)}])::text[]"

    return ELEMENT_CASTS.sub(array_cast, text)


def _neutral(value, schema: str):
    if value == region_role_prefix(connection.settings_dict["NAME"]) + schema:
        return "<region role>"
    if isinstance(value, str):
        value = _same_array_casts(value)
        return re.sub(r'(?<![\w"])"?' + re.escape(schema) + r'"?(?=\.)', "<schema>", value)
    if isinstance(value, tuple | list):
        return type(value)(_neutral(item, schema) for item in value)
    return value


NAMESPACE = "(SELECT oid FROM pg_namespace WHERE nspname = %(schema)s)"

QUERIES = {
    "columns": f"""
        SELECT c.relname, row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum), a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attcollation
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = {NAMESPACE} AND c.relkind = 'r' AND a.attnum > 0
          AND NOT a.attisdropped""",
    "relations": f"""
        SELECT relname, relkind, relpersistence, pg_get_userbyid(relowner), relrowsecurity
        FROM pg_class WHERE relnamespace = {NAMESPACE}""",
    "indexes": f"""
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relnamespace = {NAMESPACE}""",
    "constraints": f"""
        SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid),
               con.condeferrable, con.condeferred, con.convalidated
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        WHERE c.relnamespace = {NAMESPACE}""",
    "triggers": f"""
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = {NAMESPACE} AND NOT t.tgisinternal""",
    "functions": f"""
        SELECT proname, pg_get_functiondef(oid), pg_get_userbyid(proowner), prosecdef
        FROM pg_proc WHERE pronamespace = {NAMESPACE}""",
    "grants": f"""
        SELECT c.relname, coalesce(r.rolname, 'PUBLIC'), a.privilege_type, a.is_grantable
        FROM pg_class c, aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.relnamespace = {NAMESPACE}""",
    "schema grants": """
        SELECT coalesce(r.rolname, 'PUBLIC'), a.privilege_type
        FROM pg_namespace n, aclexplode(n.nspacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = %(schema)s""",
    "default privileges": """
        SELECT d.defaclobjtype, coalesce(r.rolname, 'PUBLIC'), a.privilege_type
        FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace,
             aclexplode(d.defaclacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = %(schema)s""",
    "sequences": f"""
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
               s.seqmax, s.seqcache, s.seqcycle, d.deptype, t.relname, a.attname
        FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
        LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass
             AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        LEFT JOIN pg_class t ON t.oid = d.refobjid
        LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE c.relnamespace = {NAMESPACE}""",
}


def describe(schema: str) -> dict[str, set]:
    """Everything PostgreSQL knows about the schema's objects, comparable across schemas."""
    return {
        what: {_neutral(tuple(row), schema) for row in _rows(sql, schema)}
        for what, sql in QUERIES.items()
    }


def sequence_positions(schema: str) -> dict[str, tuple]:
    """Each sequence's next value against the highest id of the column it feeds."""
    positions = {}
    for name, *_, table, column in _rows(QUERIES["sequences"], schema):
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT last_value, is_called FROM "{schema}"."{name}"')
            last_value, is_called = cursor.fetchone()
            cursor.execute(f'SELECT max("{column}") FROM "{schema}"."{table}"')
            highest = cursor.fetchone()[0]
        next_value = last_value + 1 if is_called else last_value
        positions[name] = (next_value, highest)
    return positions


def table_contents(schema: str, tables: list[str]) -> dict[str, list[tuple]]:
    contents = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{schema}"."{table}" ORDER BY 1')
            contents[table] = cursor.fetchall()
    return contents
