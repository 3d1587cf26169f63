"""The platform's match table, in the public schema: per registered person a keyed
digest of their normalised identity, the region that registered them and an opaque
token that only that region maps back to its case. Nothing else: no name, no birth
year, no case number. Regions' database roles cannot read it (docs/matching.md)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MatchDigest(models.Model):
    digest = models.CharField(_("kenmerk"), max_length=64, db_index=True)
    region = models.ForeignKey(
        "tenants.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    # Random, made by the region; its own table says which person of which case it is.
    token = models.CharField(_("verwijzing"), max_length=64, unique=True)
    stored_at = models.DateTimeField(_("opgeslagen op"), default=timezone.now)

    class Meta:
        verbose_name = _("koppelkenmerk")
        verbose_name_plural = _("koppelkenmerken")
        indexes = [models.Index(fields=["region", "digest"], name="match_by_region")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.token[:6]}"
