"""Regions (tenants) and their domains, in the public schema."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from meldpunt.encryption import EncryptedTextField
from tenants.services.app_role import region_role


class Preset(models.TextChoices):
    BASIS = "basis", _("Neutrale basis")
    TWENTE = "twente", _("Twente (werkproces)")
    LIMBURG = "limburg", _("Limburg (speerpunten)")


class RegionQuerySet(models.QuerySet):
    def regions(self) -> "RegionQuerySet":
        """Every region, without the row django-tenants keeps for the platform itself."""
        return self.exclude(schema_name="public")


class Region(TenantMixin):
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    preset = models.CharField(
        _("startconfiguratie"), max_length=20, choices=Preset.choices, default=Preset.BASIS
    )
    is_suspended = models.BooleanField(_("opgeschort"), default=False)
    suspended_at = models.DateTimeField(_("opgeschort op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # How another meldpunt reaches this one (a match across regions names these, and
    # nothing else): the meldpunt's own line and address, not a person's.
    contact_name = models.CharField(_("contact: team of functie"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact: telefoon"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact: e-mail"), blank=True)
    # What the last deploy found this region's schema at (migration_state.deploy_state):
    # every migration of the code applied and its role's privileges granted. A deploy with
    # the same code and roles does not read the schema again; blank: read it next deploy.
    deployed_state = models.CharField(
        _("stand na de laatste uitrol"), max_length=64, blank=True, editable=False
    )

    # A region's case data are never dropped by deleting a row. Its schema is
    # created by onboarding (tenants.services.blueprint), in onboarding's transaction.
    auto_drop_schema = False
    auto_create_schema = False

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.schema_name == "public"

    @property
    def database_role(self) -> str:
        """The database role this region's requests and tasks act as (docs/database-roles.md)."""
        return region_role(self.schema_name)


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domein")
        verbose_name_plural = _("domeinen")

    def __str__(self) -> str:
        return self.domain


class Suspension(models.Model):
    """One suspension or reactivation of a region, with the reason the national
    administrator gave. The reason is free text and may name people (a complaint, an
    incident), so it is encrypted here and the append-only audit log keeps only a
    pointer to this row (docs/region-suspension.md)."""

    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.CASCADE, related_name="suspensions"
    )
    suspended = models.BooleanField(_("opgeschort"))
    reason = EncryptedTextField(_("reden"), blank=True)
    changed_at = models.DateTimeField(_("gewijzigd op"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("opschorting")
        verbose_name_plural = _("opschortingen")

    def __str__(self) -> str:
        change = _("opgeschort") if self.suspended else _("weer actief")
        return f"{self.region}: {change}"
