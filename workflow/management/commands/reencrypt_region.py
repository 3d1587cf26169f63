"""Re-encrypt a region's personal data under the newest key of FIELD_ENCRYPTION_KEYS,
after a new key was put in front: `reencrypt_region --schema twente`, or every region."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import schema_context

from meldpunt.encryption_maintenance import rotate_schema
from tenants.models import Region


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schema", help="one region's schema; all regions when left out")

    def handle(self, *args, schema: str | None = None, **options) -> None:
        regions = Region.objects.regions()
        if schema:
            regions = regions.filter(schema_name=schema)
            if not regions.exists():
                raise CommandError(f"No region with schema {schema!r}.")
        for region in regions:
            with schema_context(region.schema_name), transaction.atomic():
                rewritten = rotate_schema()
            self.stdout.write(f"{region.schema_name}: {rewritten} values re-encrypted")
