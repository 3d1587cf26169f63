"""A region's connection cannot read another region's tables, even through SQL.

Each region has a database role of its own; a request and a task in a region
act as it (tenants/postgresql_backend). The proofs run the real middleware and
the real Celery task hooks, then ask PostgreSQL for every table of the other
region by its qualified name.
"""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory
from django_tenants.utils import schema_context, tenant_context

from meldpunt.celery import app
from tenants.middleware import RegionMiddleware
from tenants.models import Region
from tenants.postgresql_backend.base import RoleNotSet
from tests.conftest import host_of


def tables_of(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname",
            [schema],
        )
        return [row[0] for row in cursor.fetchall()]


def read_each(schema: str, tables: list[str]) -> dict[str, str]:
    """Per table: 'read', or PostgreSQL's refusal; in the connection's current state."""
    outcome = {}
    for table in tables:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            outcome[table] = "read"
        except DatabaseError as error:
            outcome[table] = str(error).splitlines()[0]
    return outcome


def who_and_where() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('search_path')")
        return cursor.fetchone()


def refused(outcome: dict[str, str]) -> bool:
    return all(message.startswith("permission denied for schema") for message in outcome.values())


def test_a_twente_request_cannot_read_any_limburg_table(twente, limburg):
    limburg_tables, twente_tables = tables_of("limburg"), tables_of("twente")
    assert len(limburg_tables) > 50, "too few tables to mean anything"
    seen = {}

    def probe(request: HttpRequest) -> HttpResponse:
        seen["acting"] = who_and_where()
        seen["limburg"] = read_each("limburg", limburg_tables)
        seen["twente"] = read_each("twente", twente_tables)
        return JsonResponse({})

    request = RequestFactory().get("/", HTTP_HOST=host_of(twente))
    connection.set_schema_to_public()
    RegionMiddleware(probe)(request)

    assert seen["acting"][0] == twente.database_role
    assert seen["acting"][1].startswith("twente")
    assert refused(seen["limburg"]), {t: m for t, m in seen["limburg"].items() if "denied" not in m}
    # Not a connection that can read nothing: its own region's tables it reads.
    assert set(seen["twente"].values()) == {"read"}


class ProbeInsideTheRequest:
    """Once the view has queried a case, asks the request's own connection for Limburg."""

    def __init__(self, tables: list[str]) -> None:
        self.tables = tables
        self.acting: tuple[str, str] | None = None
        self.outcome: dict[str, str] = {}

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.acting is None and "workflow_casus" in sql:
            self.acting = who_and_where()  # the probe's own queries pass here too: once only
            self.outcome = read_each("limburg", self.tables)
        return result


def test_a_signed_in_twente_request_cannot_read_limburg_and_leaves_as_the_platform(
    twente, limburg, logged_in
):
    client = logged_in(twente, "medewerker")
    probe = ProbeInsideTheRequest(tables_of("limburg"))
    with connection.execute_wrapper(probe):
        assert client.get("/casussen/").status_code == 200
    assert probe.acting is not None and probe.acting[0] == twente.database_role
    assert len(probe.outcome) > 50 and refused(probe.outcome)
    # The finished request handed its connection back to the public schema and the
    # connected role: the next use of a pooled connection starts there.
    assert who_and_where() == (connection.settings_dict["USER"], "public")


@app.task
def read_another_region(schema: str) -> dict:
    return {"acting": who_and_where(), "outcome": read_each(schema, tables_of(schema))}


def test_a_twente_task_cannot_read_any_limburg_table(twente, limburg):
    connection.set_schema_to_public()
    result = read_another_region.apply(["limburg"], headers={"_schema_name": "twente"}).get()
    assert result["acting"][0] == twente.database_role
    assert len(result["outcome"]) > 50
    assert refused(result["outcome"])
    # Back in public after the task: the application role, as itself.
    assert who_and_where()[0] == connection.settings_dict["USER"]


def test_the_application_role_has_no_right_in_any_region(limburg, app_role_connection):
    app = app_role_connection
    with app.cursor() as cursor:
        cursor.execute(
            "SELECT rolinherit, has_schema_privilege(current_user, 'limburg', 'USAGE'), "
            "has_schema_privilege(current_user, 'twente', 'USAGE') "
            "FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False)
        cursor.execute(f'SET ROLE "{limburg.database_role}"')
        cursor.execute("SELECT count(*) >= 0 FROM limburg.workflow_casus")
        assert cursor.fetchone() == (True,)


def test_a_region_role_reads_public_region_rows_but_not_national_accounts(twente):
    with tenant_context(twente):
        assert Region.objects.get(schema_name="twente") == twente
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT count(*) FROM public.accounts_user")


def test_a_region_whose_role_is_missing_gets_no_query_under_the_previous_role(limburg):
    with tenant_context(limburg):
        assert who_and_where()[0] == limburg.database_role
        with (
            pytest.raises(RoleNotSet),
            transaction.atomic(),
            tenant_context(Region(schema_name="nergens")),
        ):
            who_and_where()


def test_a_schema_chosen_by_name_keeps_the_connected_role(twente):
    """Migrations and maintenance commands choose schemas by name, as the owner."""
    with tenant_context(twente), schema_context("limburg"):
        assert who_and_where()[0] == connection.settings_dict["USER"]


def test_a_deploy_gives_a_region_from_before_region_roles_its_role(limburg, settings):
    """The upgrade path: a region whose schema the app role itself was granted."""
    role, app = limburg.database_role, settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')  # its grants; rolled back with the test
        cursor.execute(f'DROP ROLE "{role}"')
        cursor.execute(f'GRANT USAGE ON SCHEMA limburg TO "{app}"')
        cursor.execute(f'GRANT SELECT ON limburg.workflow_casus TO "{app}"')
    call_command("migrate_schemas", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_schema_privilege(%s, 'limburg', 'USAGE'), "
            "has_table_privilege(%s, 'limburg.workflow_casus', 'SELECT'), "
            "has_schema_privilege(%s, 'limburg', 'USAGE'), pg_has_role(%s, %s, 'MEMBER')",
            [app, app, role, app, role],
        )
        assert cursor.fetchone() == (False, False, True, True)
    with tenant_context(limburg):
        assert set(read_each("limburg", tables_of("limburg")).values()) == {"read"}
