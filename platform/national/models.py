"""What the platform keeps about the regions beside their schemas."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Region


class OpenRoleGrant(models.Model):
    """An open role grant in a region, listed for the national administrators without
    looping over every region's schema. No personal data: the account and the people
    involved stay in the region's schema, read there when one grant is opened."""

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.CASCADE)
    grant_id = models.BigIntegerField(_("roltoekenning"))
    role_code = models.SlugField(_("rol"), max_length=40)
    requested_at = models.DateTimeField(_("aangevraagd op"))

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("open roltoekenning")
        verbose_name_plural = _("open roltoekenningen")
        constraints = [
            models.UniqueConstraint(fields=["region", "grant_id"], name="one_row_per_grant")
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.role_code}"
