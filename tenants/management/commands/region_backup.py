"""`manage.py region_backup export|restore`: one region's schema to a file and back, as the owner role."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.models import Region
from tenants.services import region_backup


class Command(BaseCommand):
    help = (
        "export REGION FILE writes a region's schema to FILE (readable by its owner only); "
        "restore FILE SCHEMA builds it again under the new schema name SCHEMA."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export")
        export.add_argument("region", help="the region's code (slug) or schema name")
        export.add_argument("file", type=Path)
        restore = actions.add_parser("restore")
        restore.add_argument("file", type=Path)
        restore.add_argument("schema", help="a new schema name: lower-case letters, digits, _")
        restore.add_argument(
            "--register",
            action="store_true",
            help="also make it a (suspended) region at <schema>.<BASE_DOMAIN>",
        )

    def handle(self, *args, **options) -> None:
        try:
            if options["action"] == "export":
                region = Region.objects.regions().filter(slug=options["region"]).first()
                schema = region.schema_name if region else options["region"]
                manifest = region_backup.export_region_schema(schema, options["file"])
                total = sum(manifest["rows"].values())
                self.stdout.write(f"{schema}: {total} rows in {len(manifest['rows'])} tables")
            else:
                manifest = region_backup.restore_region_schema(options["file"], options["schema"])
                self.stdout.write(f"{manifest['schema']} restored as {options['schema']}")
                if options["register"]:
                    restored = region_backup.register_restored_region(
                        options["schema"], manifest["region"] or manifest["schema"]
                    )
                    self.stdout.write(f"region {restored.slug} registered, suspended")
        except (region_backup.BackupError, FileExistsError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
