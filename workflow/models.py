"""The case domain: a case (casus) on a version of the region's work process, its
step history, and the records the work process asks for before a case moves on."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from configuratie.models import Partner, Priority, WorkflowDefinition, WorkflowStep


class Casus(models.Model):
    reference = models.CharField(_("casuscode"), max_length=20, unique=True, blank=True)
    definition = models.ForeignKey(
        WorkflowDefinition,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("werkproces"),
    )
    # Written by workflow.engine only.
    current_step = models.ForeignKey(
        WorkflowStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("huidige stap")
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("prioriteit")
    )
    case_type = models.CharField(_("casustype"), max_length=60, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
        verbose_name=_("casuscoördinator"),
    )
    closing_reason = models.CharField(_("afsluitreden"), max_length=60, blank=True)
    opened_at = models.DateTimeField(_("geopend op"), default=timezone.now)
    step_entered_at = models.DateTimeField(_("in deze stap sinds"), default=timezone.now)
    deadline_at = models.DateTimeField(_("termijn"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")

    def __str__(self) -> str:
        return self.reference or f"casus {self.pk}"


class StepTransition(models.Model):
    """The history of a case's steps: who moved it, when, from where to where and why."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="transitions")
    from_step = models.ForeignKey(
        WorkflowStep, on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_step = models.ForeignKey(WorkflowStep, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stapovergang")
        verbose_name_plural = _("stapovergangen")

    def __str__(self) -> str:
        return f"{self.casus}: {self.from_step} → {self.to_step}"


class Recorded(models.Model):
    """Who recorded something on a case, and when."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.casus} {self.recorded_at:%Y-%m-%d}"


class ScreeningOutcome(Recorded):
    class Outcome(models.TextChoices):
        JA = "ja", _("loverboyproblematiek: ja")
        VERMOEDEN = "vermoeden", _("loverboyproblematiek: vermoeden")
        NEE = "nee", _("loverboyproblematiek: nee")
        ONVOLDOENDE = "onvoldoende", _("onvoldoende informatie")

    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    advice = models.TextField(_("advies"), blank=True)


class Feedback(Recorded):
    """Terugkoppeling to the reporter."""

    text = models.TextField(_("terugkoppeling"))


class InformationRequest(Recorded):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("vraag"))
    answer = models.TextField(_("antwoord"), blank=True)
    closed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)


class RiskAssessment(Recorded):
    answers = models.JSONField(_("antwoorden"), default=dict)
    score = models.PositiveIntegerField(_("score"))
    level = models.CharField(_("niveau"), max_length=40)


class PlanOfApproach(Recorded):
    summary = models.TextField(_("plan van aanpak"))


class CaseConference(Recorded):
    """Casusoverleg with Veiligheidshuizen and zorgcoördinatoren."""

    held_on = models.DateField(_("gehouden op"))
    notes = models.TextField(_("verslag"), blank=True)


class Referral(Recorded):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("toelichting"), blank=True)


class Evaluation(Recorded):
    answers = models.JSONField(_("antwoorden"), default=dict)
