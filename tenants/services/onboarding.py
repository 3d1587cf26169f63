"""Onboarding, suspending and reactivating regions: the one place that does it.

The onboarding screen, `manage.py onboard_region` and `seed_demo` all call
`onboard_region`. A new region's schema is built from the blueprint of the
migrated, empty template schema (`tenants.services.blueprint`); everything
happens in one transaction, so a failure at any step leaves no region, domain
or schema behind.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from accounts import services as account_services
from accounts.models import User
from accounts.policy import Action, Role, require
from audit.models import AuditAction
from audit.services import FREE_TEXT, record
from configuratie.services.presets import apply_configuration, read_preset
from tenants.models import Domain, Preset, Region, Suspension
from tenants.services.blueprint import create_region_schema

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
DOMAIN_PATTERN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
)
RESERVED_SLUGS = frozenset(
    {"public", "www", "api", "admin", "static", "platform", "regio-sjabloon"}
)


class OnboardingError(ValidationError):
    """Carries a Dutch message per field, for the screen and the command alike."""


@dataclass(frozen=True)
class OnboardingResult:
    region: Region
    created: bool
    admin: User | None


def default_domain(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def schema_name_for(slug: str) -> str:
    return slug.replace("-", "_")


def validate_request(slug: str, name: str, domain: str, admin_email: str, preset: str) -> dict:
    problems: dict[str, str] = {}
    if not SLUG_PATTERN.match(slug) or slug in RESERVED_SLUGS:
        problems["slug"] = _(
            "Gebruik 3 tot 40 kleine letters, cijfers of streepjes, beginnend met een letter "
            "(bijvoorbeeld 'utrecht'). Enkele namen zijn gereserveerd."
        )
    if not name.strip():
        problems["name"] = _("Vul de naam van de regio in.")
    if not DOMAIN_PATTERN.match(domain):
        problems["domain"] = _("Vul een geldig domein in, zoals %(example)s.") % {
            "example": default_domain("utrecht")
        }
    try:
        account_services.normalise_email(admin_email)
    except ValidationError as error:
        problems["admin_email"] = error.messages[0]
    if preset not in Preset.values:
        problems["preset"] = _("Kies een van de startconfiguraties.")
    if "domain" not in problems:
        taken = Domain.objects.filter(domain=domain).exclude(tenant__slug=slug).first()
        if taken is not None:
            problems["domain"] = _("Het domein %(domain)s is al in gebruik door %(region)s.") % {
                "domain": domain,
                "region": taken.tenant.name,
            }
    return problems


def onboard_region(
    *,
    slug: str,
    name: str,
    domain: str,
    admin_email: str,
    preset: str = Preset.BASIS,
    actor: User | None = None,
    invite_admin: bool = True,
) -> OnboardingResult:
    """Create a region with its schema, domain and first regional administrator.

    Idempotent on the slug: onboarding an existing region again changes nothing
    and returns it with `created=False`. Without an actor it is the platform's own
    act (the onboarding command, the demo); with one, a national administrator's.
    """
    if actor is not None:
        require(actor, Action.MANAGE_REGIONS)
    slug, domain = slug.strip().lower(), domain.strip().lower()
    problems = validate_request(slug, name, domain, admin_email, preset)
    if problems:
        raise OnboardingError(problems)
    existing = Region.objects.filter(slug=slug).first()
    if existing is not None:
        return OnboardingResult(region=existing, created=False, admin=None)

    with transaction.atomic():
        region = Region(
            schema_name=schema_name_for(slug), slug=slug, name=name.strip(), preset=preset
        )
        region.save()
        create_region_schema(region.schema_name)
        Domain.objects.create(domain=domain, tenant=region, is_primary=True)
        with tenant_context(region):
            apply_configuration(read_preset(preset))
            admin = account_services.invite_user(
                admin_email,
                role_codes=[Role.REGIOBEHEERDER],
                invitation_from=f"Meldpunt {region.name}" if invite_admin else "",
            )
        record(
            AuditAction.CREATE,
            user=actor,
            target=region,
            detail={"regio": slug, "domein": domain, "startconfiguratie": preset},
        )
    return OnboardingResult(region=region, created=True, admin=admin)


def set_suspended(
    region: Region, suspended: bool, *, actor: User | None, reason: str = ""
) -> Suspension:
    """Suspend or resume a region: by a national administrator, who must give a reason,
    or (no actor) the platform's own maintenance. Runs in the public schema: the reason
    is encrypted under the platform's key, and the audit line points to it."""
    if actor is not None:
        require(actor, Action.MANAGE_REGIONS)
    if region.is_platform:
        raise ValidationError(_("Het platform zelf kan niet worden opgeschort."))
    reason = reason.strip()
    if actor is not None and not reason:
        raise ValidationError({"reason": _("Vul de reden in.")})
    region.is_suspended = suspended
    region.suspended_at = timezone.now() if suspended else None
    region.save(update_fields=["is_suspended", "suspended_at"])
    suspension = Suspension.objects.create(region=region, suspended=suspended, reason=reason)
    detail = {
        "opgeschort": suspended,
        "opschorting": suspension.pk,
        "reden": FREE_TEXT if reason else "",
    }
    record(AuditAction.CHANGE, user=actor, target=region, detail=detail)
    return suspension
