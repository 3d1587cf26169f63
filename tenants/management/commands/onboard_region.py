from django.core.management.base import BaseCommand, CommandError

from tenants.models import Preset
from tenants.services import onboarding


class Command(BaseCommand):
    help = "Onboard a region: schema cloned from the template, domain, first regional admin."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--domain", help="default: <slug>.<BASE_DOMAIN>")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--preset", choices=Preset.values, default=Preset.BASIS)

    def handle(self, *args, **options) -> None:
        try:
            result = onboarding.onboard_region(
                slug=options["slug"],
                name=options["name"],
                domain=options["domain"] or onboarding.default_domain(options["slug"]),
                admin_email=options["admin_email"],
                preset=options["preset"],
            )
        except onboarding.OnboardingError as error:
            problems = "\n".join(
                f"  {field}: {message[0]}" for field, message in error.message_dict.items()
            )
            raise CommandError(f"Regio niet aangesloten:\n{problems}") from error
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Regio {result.region.name} aangesloten; uitnodiging verstuurd naar {result.admin.email}."
                )
            )
        else:
            self.stdout.write(f"Regio {result.region.name} bestond al; niets veranderd.")
