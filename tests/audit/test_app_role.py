"""The application's database role can append to and read the audit log, and nothing more.

It connects as production's web server does: a role that owns nothing and is
no superuser, in a region it has just onboarded through the blueprint function
(the only DDL it may cause), and in the public schema. In a region it acts as
the region's own role, as every request and task there does.
"""

import psycopg2
import pytest
from psycopg2 import errors

from tenants.services.app_role import region_role

REFUSED = [
    ("UPDATE audit_auditentry SET role = 'vervalst'", "permission denied for table"),
    ("DELETE FROM audit_auditentry", "permission denied for table"),
    ("TRUNCATE audit_auditentry", "permission denied for table"),
    ("ALTER TABLE audit_auditentry DISABLE TRIGGER ALL", "must be owner of table"),
    (
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_no_update_delete",
        "must be owner of table",
    ),
    ("DROP TRIGGER audit_auditentry_no_update_delete ON audit_auditentry", "must be owner"),
    ("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_chain", "must be owner"),
    (
        "CREATE OR REPLACE FUNCTION audit_chain_line() RETURNS trigger LANGUAGE plpgsql"
        " AS 'BEGIN RETURN NEW; END'",
        "must be owner|permission denied for schema",
    ),
    ("SET session_replication_role = replica", "permission denied to set parameter"),
    ("ALTER TABLE audit_auditentry OWNER TO CURRENT_USER", "must be owner of table"),
    ("CREATE SCHEMA eigen", "permission denied for database"),
]


def execute(app, statement: str, params=()) -> list[tuple]:
    with app.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def act_in(app, schema: str) -> None:
    """What the database backend sends when a request enters `schema`."""
    role = "RESET ROLE" if schema == "public" else f'SET ROLE "{region_role(schema)}"'
    execute(app, f"{role}; SET search_path = {schema}, public")
    # A schema the role may not use would silently drop out of the search path.
    assert execute(app, "SELECT current_schema()") == [(schema,)]


def write_audit_line(app) -> int:
    return execute(
        app,
        "INSERT INTO audit_auditentry (at, user_email, role, on_behalf_of, action, object_type,"
        " object_id, case_id, person_id, grounds, detail) VALUES (now(), '', 'test', '',"
        " 'view', '', '', '', '', '', '{}') RETURNING id",
    )[0][0]


@pytest.mark.parametrize("schema", ["limburg", "public"])
def test_the_app_role_appends_and_reads_audit_lines_and_changes_ordinary_tables(
    limburg, app_role_connection, schema
):
    app = app_role_connection
    act_in(app, schema)
    line = write_audit_line(app)
    assert execute(app, "SELECT count(*) FROM audit_auditentry WHERE id = %s", [line]) == [(1,)]
    assert execute(app, "UPDATE django_session SET session_data = session_data") == []
    assert execute(app, "DELETE FROM django_session WHERE false") == []


@pytest.mark.parametrize(("statement", "message"), REFUSED)
def test_the_app_role_cannot_change_remove_or_untrigger_audit_lines(
    limburg, app_role_connection, statement, message
):
    app = app_role_connection
    # A region onboarded just now, by the app role itself, as the national screen does.
    execute(app, "SELECT public.meldpunt_create_region_schema('rolproef')")
    act_in(app, "rolproef")
    write_audit_line(app)
    with pytest.raises(psycopg2.Error, match=message) as refused:
        execute(app, statement)
    assert isinstance(refused.value, errors.InsufficientPrivilege)


def test_the_app_role_owns_nothing_and_is_no_superuser(limburg, app_role_connection):
    app = app_role_connection
    assert execute(app, "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
                   "WHERE rolname = current_user") == [(False, False, False, False)]  # fmt: skip
    owned = execute(
        app,
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles"
        " WHERE rolname = current_user)",
    )
    assert owned == [(0,)]
