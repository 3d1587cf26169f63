"""migrate_schemas that also keeps the template schema new regions are cloned from."""

from django.conf import settings
from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors import get_executor
from django_tenants.utils import schema_exists


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options) -> None:
        super().handle(*args, **options)
        # Runs for a full migration only; onboarding migrates one new schema by name.
        if self.sync_tenant and not options.get("schema_name"):
            self.migrate_template_schema(options)

    def migrate_template_schema(self, options: dict) -> None:
        template = settings.TENANT_BASE_SCHEMA
        if not schema_exists(template):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{template}"')
        executor = get_executor(codename=self.executor)(self.args, options)
        executor.run_migrations(tenants=[template])
