"""A deploy reads only the regions not found current for its code, and never passes over
a region that is behind (tenants/services/migration_state.py)."""

from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tenants.models import Region
from tenants.services.migration_state import deploy_state, expected_migrations


def deploy(capsys) -> str:
    call_command("migrate_schemas", interactive=False, verbosity=1)
    return capsys.readouterr().out


def states() -> dict[str, str]:
    return dict(Region.objects.regions().values_list("slug", "deployed_state"))


def test_a_deploy_marks_the_regions_it_found_current_and_reads_them_no_more(twente, capsys):
    regions = Region.objects.regions().count()
    assert f"{regions + 2} schemas read" in deploy(capsys)  # public, the template, each region
    assert set(states().values()) == {deploy_state(expected_migrations())}
    assert "2 schemas read" in deploy(capsys)  # public and the template only


def before_newest(app: str) -> str:
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    (newest,) = graph.leaf_nodes(app)
    parents = [parent.key for parent in graph.node_map[newest].parents]
    # A merge migration has two: going back to either leaves the region behind.
    return max(name for parent_app, name in parents if parent_app == app)


def test_a_region_behind_new_code_is_read_and_migrated(twente, limburg, capsys):
    deploy(capsys)
    # Limburg as the previous code left it: the newest workflow migration undone (its
    # schema too, not only its record), and marked with that code's state.
    call_command(
        "migrate_schemas",
        "workflow",
        before_newest("workflow"),
        schema_name="limburg",
        interactive=False,
        verbosity=0,
    )
    Region.objects.filter(pk=limburg.pk).update(deployed_state="de vorige code")
    out = deploy(capsys)
    assert "3 schemas read" in out and "1 migrated" in out
    assert states()["limburg"] == deploy_state(expected_migrations())
    assert "0 migrated" in deploy(capsys)


def test_a_new_region_is_read_by_the_next_deploy(twente, capsys):
    deploy(capsys)
    Region.objects.create(schema_name="nieuw", slug="nieuw", name="Nieuw")
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA nieuw")  # behind every migration
    out = deploy(capsys)
    assert "3 schemas read" in out and "1 migrated" in out


def test_a_targeted_migration_takes_the_mark_of_the_regions_it_may_move(twente, limburg, capsys):
    deploy(capsys)
    call_command("migrate_schemas", schema_name="twente", interactive=False, verbosity=0)
    assert states()["twente"] == ""
    assert states()["limburg"] != ""
    call_command("migrate_schemas", "workflow", interactive=False, verbosity=0)
    assert set(states().values()) == {""}


def test_the_state_changes_with_the_migrations_of_the_code():
    expected = expected_migrations()
    assert deploy_state(expected) != deploy_state([*expected, "workflow.9999_nieuw"])
