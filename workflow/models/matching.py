"""The region's side of matching across regions (docs/matching.md): which of its
persons it registered in the platform's match table under which random token, and the
signals that another meldpunt knows one of them too. The platform's table holds the
token, never the case; only this schema says which case a token points to."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.cases import Casus
from workflow.models.reports import InvolvedPerson


class MatchRegistration(models.Model):
    person = models.OneToOneField(
        InvolvedPerson, on_delete=models.CASCADE, related_name="match_registration"
    )
    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("aanmelding bij de landelijke signalering")
        verbose_name_plural = _("aanmeldingen bij de landelijke signalering")

    def __str__(self) -> str:
        return str(self.person_id)


class MatchSignal(models.Model):
    """A person of one of this region's cases is known to another meldpunt too. The
    other region is named by its id (a public row), never its case."""

    registration = models.ForeignKey(
        MatchRegistration, on_delete=models.CASCADE, related_name="signals"
    )
    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="match_signals")
    other_region_id = models.PositiveIntegerField()
    noticed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-noticed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "other_region_id"], name="one_signal_per_region"
            )
        ]
        verbose_name = _("signaal van de landelijke signalering")
        verbose_name_plural = _("signalen van de landelijke signalering")

    def __str__(self) -> str:
        return f"{self.casus_id} {self.other_region_id}"
