"""The plan of approach: goals and actions, each with an owner, a chain (zorg or justitie,
so a plan shows care and justice together), a due date, a status and an outcome.
A revision is a new version; earlier versions stay readable as they were."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from configuratie.models import Chain, Partner
from meldpunt.encryption import EncryptedTextField
from workflow.models.bulk import PlanActionQuerySet
from workflow.models.cases import Recorded, acting_user


class PlanOfApproach(Recorded):
    version = models.PositiveIntegerField(_("versie"), default=1)
    goals = EncryptedTextField(_("doelen"))
    revision_reason = EncryptedTextField(_("reden van herziening"), blank=True)

    class Meta(Recorded.Meta):
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")
        constraints = [
            models.UniqueConstraint(fields=["casus", "version"], name="one_plan_per_version")
        ]


class PlanAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("nog niet begonnen")
        RUNNING = "lopend", _("loopt")
        DONE = "gereed", _("gereed")
        CANCELLED = "geannuleerd", _("geannuleerd")

    FINISHED = frozenset({Status.DONE, Status.CANCELLED})

    plan = models.ForeignKey(PlanOfApproach, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    description = EncryptedTextField(_("actie"))
    chain = models.CharField(_("keten"), max_length=10, choices=Chain.choices)
    owner_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_user = acting_user(null=True, blank=True)
    owner_name = EncryptedTextField(_("eigenaar (persoon)"), blank=True)
    due_on = models.DateField(_("gereed voor"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    outcome = EncryptedTextField(_("resultaat"), blank=True)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def owner(self) -> str:
        return str(self.owner_partner or self.owner_user or self.owner_name or "")
