"""migrate_schemas that finishes in seconds when nothing is due, and keeps the template.

Without a target (a deploy) it reads the applied migrations of the public
schema, the template schema and every region not yet marked current for this
code (`Region.deployed_state`, tenants/services/migration_state.py) in one
query, and runs Django's migration executor only for the schemas that are
behind; several behind run in parallel processes. Afterwards the application
role gets its privileges in every migrated schema (and any read that lacks
them), the regions read are marked current once they are, and the onboarding
blueprint is regenerated when the template schema moved. With nothing due at
a thousand regions that is a handful of queries. With a schema, an app label, a
migration name or any of migrate's special modes it is django-tenants' command;
the regions it may move lose their mark, so the next deploy reads them again.

Before it runs, only the models' system checks run: the URL checks import every view
(WeasyPrint with them), most of a no-op deploy's start-up; `manage.py check --deploy`
runs them all in the tests (tests/meldpunt/test_settings.py). The settings' own
refusals (a missing key, demo mode in production) still stop every command.
"""

from django.conf import settings
from django.core.checks import Tags
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.management.commands import SyncCommon
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors import get_executor
from django_tenants.utils import get_public_schema_name

from tenants.models import Region
from tenants.services import blueprint
from tenants.services.app_role import (
    grant_app_privileges,
    quote_ident,
    schemas_missing_privileges,
)
from tenants.services.migration_state import (
    deploy_state,
    existing_schemas,
    expected_migrations,
    schemas_behind,
)

TARGETED_OPTIONS = (
    "app_label",
    "migration_name",
    "schema_name",
    "fake",
    "fake_initial",
    "plan",
    "check_unapplied",
    "prune",
)


class Command(MigrateSchemasCommand):
    requires_system_checks = [Tags.models]

    def handle(self, *args, **options) -> None:
        if any(options.get(option) for option in TARGETED_OPTIONS):
            schema = options.get("schema_name")
            if not (options.get("plan") or options.get("check_unapplied")):
                moved = Region.objects.regions()
                moved = moved.filter(schema_name=schema) if schema else moved
                moved.update(deployed_state="")
            super().handle(*args, **options)
            if schema and schema != settings.TENANT_BASE_SCHEMA and not options.get("plan"):
                grant_app_privileges([schema])
            return
        SyncCommon.handle(self, *args, **options)
        self.deploy()

    def deploy(self) -> None:
        public = get_public_schema_name()
        template = settings.TENANT_BASE_SCHEMA
        expected = expected_migrations()
        state = deploy_state(expected)
        # The public schema first: the list of regions lives there.
        behind = schemas_behind([public], expected) if self.sync_public else []
        if behind:
            self.executor_for(1).run_migrations(tenants=[public])
        regions = dict(Region.objects.regions().values_list("schema_name", "deployed_state"))
        # Only the regions not found current by a deploy of this code are read.
        unread = [schema for schema, found in regions.items() if found != state]
        if self.sync_tenant:
            present = existing_schemas([template, *regions])
            if missing := [schema for schema in regions if schema not in present]:
                raise CommandError(f"Regions without a schema: {', '.join(missing)}")
            if template not in present:
                with connection.cursor() as cursor:
                    cursor.execute(f"CREATE SCHEMA {quote_ident(template)}")
            tenants_behind = schemas_behind([template, *unread], expected)
            if tenants_behind:
                self.executor_for(len(tenants_behind)).run_migrations(tenants=tenants_behind)
                if still := schemas_behind(tenants_behind, expected):
                    raise CommandError(f"Schemas still behind after migrating: {', '.join(still)}")
            behind += tenants_behind
        else:
            unread = []
        read = ([public] if self.sync_public else []) + unread
        grant_app_privileges(
            sorted(set(behind) - {template} | set(schemas_missing_privileges(read)))
        )
        # Marked only now: every migration applied and the privileges granted.
        Region.objects.filter(schema_name__in=unread).update(deployed_state=state)
        refreshed = self.sync_tenant and blueprint.refresh()
        if int(self.options.get("verbosity", 1)) >= 1:
            self.stdout.write(
                f"{len(regions)} regions, {len(read) + self.sync_tenant} schemas read "
                f"(the others current for this code), {len(behind)} migrated"
                + (", onboarding blueprint regenerated" if refreshed else "")
            )

    def executor_for(self, schema_count: int):
        # Several schemas at once: one process per core (TENANT_MULTIPROCESSING_MAX_PROCESSES).
        codename = self.executor or ("multiprocessing" if schema_count > 1 else "standard")
        return get_executor(codename=codename)(self.args, self.options)
