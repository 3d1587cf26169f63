"""Verify the audit chain of every region and of the platform itself, or of one schema
(`verify_audit_chain --schema twente`): per schema "keten intact, N regels" or the first
broken link; exits with an error when any chain is broken, for the monitoring that runs it."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context

from audit.chain import verify_chain
from tenants.models import Region


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schema", help="one schema; every region and public when left out")

    def handle(self, *args, schema: str | None = None, **options) -> None:
        schemas = [
            get_public_schema_name(),
            *Region.objects.regions().values_list("schema_name", flat=True),
        ]
        if schema:
            if schema not in schemas:
                raise CommandError(f"No region with schema {schema!r}.")
            schemas = [schema]
        broken = []
        for name in schemas:
            with schema_context(name):
                report = verify_chain()
            self.stdout.write(f"{name}: {report.summary()}")
            if not report.intact:
                broken.append(name)
        if broken:
            raise CommandError(f"Broken audit chain in {', '.join(broken)}.")
