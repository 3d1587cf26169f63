"""Which schemas are behind the migrations on disk, read for every schema in one query.

django-tenants' `migrate_schemas` starts Django's migrate command once per
schema, about 0.14 s each even when there is nothing to do: two minutes and
more for a thousand regions. A deploy only needs to know which schemas miss a
migration; that is one query over every schema's `django_migrations`.

Even that query opens a thousand tables (seconds, most of it the catalogue), so a
deploy marks each region it found current with `deploy_state` (`Region.deployed_state`)
and reads only the regions not marked with the state of the code it runs: a new
region, one restored from a backup, one a targeted `migrate_schemas` moved, and every
region once the code brings a migration or the roles change.
"""

import hashlib

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tenants.services.app_role import app_role, quote_ident, region_role_prefix

# Raise when what a deploy grants in a region changes (tenants.services.app_role), so
# that the next deploy reads and grants every region again.
STATE_VERSION = 1


def expected_migrations() -> list[str]:
    """Every migration on disk as "app.name", the way Django records it once applied.

    A squashed migration is recorded under the names it replaces, so those
    are what a schema must have.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = set()
    for app_label, name in loader.graph.nodes:
        migration = loader.graph.nodes[(app_label, name)]
        for replaced_app, replaced_name in migration.replaces or [(app_label, name)]:
            names.add(f"{replaced_app}.{replaced_name}")
    return sorted(names)


def deploy_state(expected: list[str]) -> str:
    """What a region found current is marked with: the code's migrations and the roles its
    privileges were granted to; other code or other roles give another state."""
    roles = f"{app_role()}:{region_role_prefix(connection.settings_dict['NAME'])}"
    source = "\n".join([str(STATE_VERSION), roles, *expected])
    return hashlib.sha256(source.encode()).hexdigest()


def existing_schemas(names: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(%s)", [names]
        )
        return {row[0] for row in cursor.fetchall()}


def schemas_behind(schemas: list[str], expected: list[str]) -> list[str]:
    """The schemas (in the given order) that lack a migration record, or the table itself."""
    if not schemas:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c "
            "ON c.relnamespace = n.oid AND c.relname = 'django_migrations' AND c.relkind = 'r' "
            "WHERE n.nspname = ANY(%s)",
            [schemas],
        )
        recorded = sorted(row[0] for row in cursor.fetchall())
        counts: dict[str, int] = {}
        if recorded:
            branches = " UNION ALL ".join(
                f"SELECT %s, count(DISTINCT m.app || '.' || m.name) "  # noqa: S608 (quoted names)
                f"FROM {quote_ident(schema)}.django_migrations m "
                f"JOIN expected e ON e.name = m.app || '.' || m.name"
                for schema in recorded
            )
            cursor.execute(
                f"WITH expected(name) AS (SELECT unnest(%s::text[])) {branches}",
                [expected, *recorded],
            )
            counts = dict(cursor.fetchall())
    return [schema for schema in schemas if counts.get(schema, 0) < len(expected)]
