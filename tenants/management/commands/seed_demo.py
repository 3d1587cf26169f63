from django.core.management.base import BaseCommand, CommandError

from tenants.services import demo


class Command(BaseCommand):
    help = "Create the fictitious demo regions and accounts (DEBUG and DEMO_MODE only). Safe to run twice."

    def handle(self, *args, **options) -> None:
        try:
            summary = demo.seed_demo()
        except demo.DemoRefused as error:
            raise CommandError(str(error)) from error
        for line in summary:
            self.stdout.write(line)
