"""The prevention register and the advice log (Limburg's second spearhead, for every
region), and the yearly reports generated from the region's statistics.

Neither register is about a person: free texts are encrypted all the same (someone may
write a name), and an advice holds no personal data unless it became a report, whose
case it then points to.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from configuratie.gemeenten import municipality_choices
from configuratie.models import Partner
from meldpunt.encryption import EncryptedTextField
from meldpunt.jobs import Job


class ActivityKind(models.TextChoices):
    VOORLICHTING = "voorlichting", _("voorlichting")
    TRAINING = "training", _("training")
    EXPERTISE = "expertiseoverdracht", _("expertiseoverdracht")
    CAMPAGNE = "campagne", _("campagne")
    NETWERK = "netwerkbijeenkomst", _("netwerkbijeenkomst")
    ANDERS = "anders", _("anders")


class TargetGroup(models.TextChoices):
    MEIDEN = "meiden", _("meiden")
    JONGENS = "jongens", _("jongens")
    OUDERS = "ouders", _("ouders")
    ZORGINSTELLINGEN = "zorginstellingen", _("zorginstellingen")
    SCHOLEN = "scholen", _("scholen")
    BUURTCENTRA = "buurtcentra", _("buurtcentra")
    PROFESSIONALS = "professionals", _("professionals")


class Registered(models.Model):
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        abstract = True


class PreventionActivity(Registered):
    held_on = models.DateField(_("datum"))
    kind = models.CharField(_("soort activiteit"), max_length=30, choices=ActivityKind.choices)
    target_groups = ArrayField(
        models.CharField(max_length=30, choices=TargetGroup.choices),
        verbose_name=_("doelgroepen"),
        default=list,
    )
    municipality = models.CharField(
        _("gemeente"), max_length=6, choices=municipality_choices, blank=True
    )
    organisation = EncryptedTextField(_("organisatie of locatie"), blank=True)
    people_reached = models.PositiveIntegerField(_("aantal bereikte personen"))
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="+", verbose_name=_("betrokken partners")
    )
    evaluation = EncryptedTextField(_("evaluatie"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("preventieactiviteit")
        verbose_name_plural = _("preventieactiviteiten")
        indexes = [models.Index(fields=["held_on", "id"], name="activity_by_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    @property
    def target_group_names(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(code, code)) for code in self.target_groups]


class AskerKind(models.TextChoices):
    ONDERWIJS = "onderwijs", _("professional in het onderwijs")
    ZORG = "zorg", _("professional in zorg of jeugdhulp")
    JONGERENWERK = "jongerenwerk", _("jongerenwerk of welzijn")
    POLITIE_JUSTITIE = "politie_justitie", _("politie of justitie")
    GEMEENTE = "gemeente", _("gemeente")
    OUDER = "ouder", _("ouder of verzorger")
    BURGER = "burger", _("burger")
    JONGERE = "jongere", _("jongere zelf")
    ANDERS = "anders", _("anders")


class AdviceTopic(models.TextChoices):
    SIGNALEN = "signalen", _("signalen herkennen")
    AANPAK = "aanpak", _("wat te doen bij een vermoeden")
    DOORVERWIJZING = "doorverwijzing", _("doorverwijzing en hulpaanbod")
    VOORLICHTING = "voorlichting", _("voorlichting of training aanvragen")
    MELDEN = "melden", _("hoe en wanneer melden")
    ANDERS = "anders", _("anders")


class AdviceRequest(Registered):
    """Advice given without a report: someone asked the meldpunt what to do."""

    given_on = models.DateField(_("datum"))
    asker_kind = models.CharField(_("vrager"), max_length=20, choices=AskerKind.choices)
    topic = models.CharField(_("onderwerp"), max_length=20, choices=AdviceTopic.choices)
    advice = EncryptedTextField(
        _("gegeven advies"),
        help_text=_("Zonder namen of andere persoonsgegevens: die horen in een melding."),
    )
    minutes_spent = models.PositiveIntegerField(_("bestede tijd (minuten)"))
    municipality = models.CharField(
        _("gemeente"), max_length=6, choices=municipality_choices, blank=True
    )
    became_report = models.BooleanField(_("werd later een melding"), default=False)
    casus = models.ForeignKey(
        "workflow.Casus",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("casus van die melding"),
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("adviesvraag")
        verbose_name_plural = _("adviesvragen")
        indexes = [models.Index(fields=["given_on", "id"], name="advice_by_date")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.given_on:%Y-%m-%d}"


class AnnualReport(Job):
    """A yearly report (jaarverslag) as a PDF, made by a Celery task; the page follows
    its progress, and says when it was resumed after its worker died or why it failed."""

    task = "statistiek.tasks.generate_annual_report"

    year = models.PositiveSmallIntegerField(_("jaar"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # Suppressed aggregates only (nothing under 5), yet kept encrypted like every file.
    pdf = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("jaarverslag")
        verbose_name_plural = _("jaarverslagen")

    def __str__(self) -> str:
        return f"jaarverslag {self.year}"


class MonthlyFigure(models.Model):
    """One count of a finished month of the region's statistics (statistiek/monthly.py):
    how many reports, cases or people fell in a category, for the whole region
    (`municipality` empty) or one of its municipalities. Counts only: a code and a
    number, never a person. A month has a row `geteld` when its counts are complete; a
    change to a case in that month removes them (and leaves a row `gewijzigd`), and the
    page counts such a month in the cases themselves until the beat counts it again.
    The stays in a step come with their lengths (`seconds`), for the time per step, and
    a partner's information requests with their response times."""

    pk = models.CompositePrimaryKey("month", "municipality", "figure", "code", "part")
    month = models.DateField()
    municipality = models.CharField(max_length=6, blank=True)
    figure = models.CharField(max_length=12)
    code = models.CharField(max_length=60, blank=True)
    part = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField()
    # For `geteld`: when its count began; for `gewijzigd`: when a case of the month changed.
    counted_at = models.DateTimeField()
    # For `stap` (a step's stays, the case's priority in `part`): each stay's length in
    # seconds, sorted, so that a median over several months is exact; for `verzoek` (a
    # partner's information requests) each answered one's response time in days, sorted.
    # Lengths only: no case, no moment.
    seconds = ArrayField(models.FloatField(), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.figure} {self.month:%Y-%m} {self.municipality} {self.code} {self.part}"
