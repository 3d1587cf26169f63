"""A region built from the blueprint equals a migrated one; deploys migrate only what is behind."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tenants.models import Region
from tenants.services import blueprint
from tenants.services.migration_state import expected_migrations, schemas_behind
from tests.tenants.catalogue import describe, sequence_positions, table_contents

TEMPLATE_ROWS = ["django_content_type", "auth_permission", "accounts_role"]


def test_a_region_from_the_blueprint_equals_a_migrated_region(db, capsys):
    # A region row whose schema is empty is behind: a deploy migrates that one schema only.
    Region.objects.create(schema_name="gemigreerd", slug="gemigreerd", name="Gemigreerd")
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA gemigreerd")
    call_command("migrate_schemas", interactive=False, verbosity=1)
    assert "1 migrated" in capsys.readouterr().out

    blueprint.create_region_schema("gekloond")

    migrated, cloned = describe("gemigreerd"), describe("gekloond")
    assert migrated["columns"], "nothing was compared"
    differences = {
        what: (cloned[what] - migrated[what], migrated[what] - cloned[what])
        for what in migrated
        if cloned[what] != migrated[what]
    }
    assert differences == {}
    assert {row[1] for row in cloned["triggers"]} == {
        "audit_auditentry_no_update_delete",
        "audit_auditentry_no_truncate",
        "audit_auditentry_chain",
    }
    for schema in ("gemigreerd", "gekloond"):
        for name, (next_value, highest) in sequence_positions(schema).items():
            assert next_value > (highest or 0), f"{schema}.{name} would hand out a used id"
    rows = {schema: table_contents(schema, TEMPLATE_ROWS) for schema in ("gemigreerd", "gekloond")}
    assert rows["gekloond"] == rows["gemigreerd"]
    assert all(rows["gekloond"][table] for table in TEMPLATE_ROWS)


def test_the_blueprint_refuses_to_run_behind_the_template(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO regio_sjabloon.django_migrations (app, name, applied) "
            "VALUES ('audit', '9999_nieuw', now())"
        )
    with pytest.raises(DatabaseError, match="older than the template"), transaction.atomic():
        blueprint.create_region_schema("te_laat")
    assert not blueprint.is_current()


@pytest.mark.parametrize("name", ["public", "regio_sjabloon", "Hoofdletters", 'x"; DROP', "1regio"])
def test_the_database_function_accepts_only_plain_new_region_names(db, name):
    with (
        pytest.raises(DatabaseError, match="not a region schema name"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"SELECT {blueprint.FUNCTION}(%s)", [name])


def test_a_deploy_finds_the_schemas_behind_in_one_query(twente, limburg, django_assert_num_queries):
    expected = expected_migrations()
    schemas = ["public", "regio_sjabloon", "twente", "limburg"]
    with django_assert_num_queries(2):  # which have the table, then every schema's records
        assert schemas_behind(schemas, expected) == []
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM limburg.django_migrations WHERE app = 'workflow'")
    assert schemas_behind(schemas, expected) == ["limburg"]


def test_a_deploy_with_nothing_due_migrates_nothing(twente, capsys):
    call_command("migrate_schemas", interactive=False, verbosity=1)
    assert "0 migrated" in capsys.readouterr().out
