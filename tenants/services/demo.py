"""Fictitious demo data for a developer machine. Refused unless DEBUG and DEMO_MODE."""

from django.conf import settings
from django.db import transaction
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.policy import Role
from accounts.services import invite_user
from configuratie.models import DefinitionStatus, RegionSettings, WorkflowDefinition
from configuratie.services.presets import apply_configuration, read_preset
from statistiek import benchmark
from statistiek.demo import seed_history
from tenants.models import Preset
from tenants.services.onboarding import default_domain, onboard_region
from workflow.demo import link_demo_partner_contact, seed_demo_reports

DEMO_PASSWORD = "Meldpunt-demo-2026"  # noqa: S105  (fictitious accounts, stated in the README)
NATIONAL_ADMIN_EMAIL = "landelijk@platform.demo"
DEMO_REGIONS = (
    ("twente", "Twente", Preset.TWENTE),
    ("limburg", "Limburg", Preset.LIMBURG),
)


class DemoRefused(Exception):
    pass


def ensure_demo_account(email: str, *, full_name: str, **fields) -> User:
    user = User.objects.filter(email=email).first() or invite_user(email, **fields)
    user.set_password(DEMO_PASSWORD)
    user.full_name = full_name
    user.is_demo = True
    user.save(update_fields=["password", "full_name", "is_demo"])
    return user


@transaction.atomic
def seed_demo() -> list[str]:
    if not (settings.DEBUG and settings.DEMO_MODE):
        raise DemoRefused(
            "seed_demo runs only with DEBUG=1 and DEMO_MODE=1: it creates known passwords."
        )
    lines = [f"Landelijk beheer: {NATIONAL_ADMIN_EMAIL}"]
    ensure_demo_account(
        NATIONAL_ADMIN_EMAIL, full_name="Landelijk beheerder (demo)", is_national_admin=True
    )
    for slug, name, preset in DEMO_REGIONS:
        result = onboard_region(
            slug=slug,
            name=name,
            domain=default_domain(slug),
            admin_email=f"{Role.REGIOBEHEERDER}@{slug}.demo",
            preset=preset,
            invite_admin=False,
        )
        with tenant_context(result.region):
            if not WorkflowDefinition.objects.filter(status=DefinitionStatus.ACTIVE).exists():
                apply_configuration(read_preset(preset))  # a region seeded before presets existed
            for role in Role:
                ensure_demo_account(
                    f"{role}@{slug}.demo",
                    full_name=f"{role.capitalize()} {name} (demo)",
                    role_codes=[role],
                )
            link_demo_partner_contact(slug)
            made = seed_demo_reports(slug)
            history = seed_history(slug)
            # Both demo regions take part in the benchmark, so it has figures to compare.
            RegionSettings.objects.filter(pk=RegionSettings.current().pk).update(
                benchmark_opt_in=True
            )
            quarters = benchmark.produce()
        lines.append(
            f"Regio {name}: <rol>@{slug}.demo op {default_domain(slug)}; {made} nieuwe demomeldingen, "
            f"{history} casussen geschiedenis, {quarters} kwartalen in de benchmark"
        )
    lines.append(f"Wachtwoord van alle demo-accounts: {DEMO_PASSWORD}")
    return lines
