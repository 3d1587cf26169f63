"""A region's own configuration, in the region's schema: work process definitions
(versioned), priorities, the partner network, catalogues and the risk instrument."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.policy import ScreeningTeamAccess
from configuratie.gemeenten import municipality_choices, name_of


class StepKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    SCREENING = "screening", _("Screening")
    INFORMATIERONDE = "informatieronde", _("Informatieronde")
    RISICOTAXATIE = "risicotaxatie", _("Risicotaxatie")
    PLAN_VAN_AANPAK = "plan_van_aanpak", _("Plan van aanpak")
    ZORGCOORDINATIE = "zorgcoordinatie", _("Zorgcoördinatie")
    CASUSOVERLEG = "casusoverleg", _("Casusoverleg")
    DOORVERWIJZING = "doorverwijzing", _("Doorverwijzing")
    TERUGKOPPELING = "terugkoppeling", _("Terugkoppeling")
    AFSLUITING = "afsluiting", _("Afsluiting")
    EVALUATIE = "evaluatie", _("Evaluatie")
    ANDERS = "anders", _("Anders (eigen stap)")


class DefinitionStatus(models.TextChoices):
    DRAFT = "concept", _("concept")
    ACTIVE = "actief", _("actief")
    RETIRED = "vervallen", _("vervallen")


class WorkflowDefinition(models.Model):
    """One version of the region's work process. Cases keep the version they started on."""

    version = models.PositiveIntegerField(_("versie"), unique=True)
    name = models.CharField(_("naam"), max_length=120)
    status = models.CharField(
        _("status"), max_length=12, choices=DefinitionStatus.choices, default=DefinitionStatus.DRAFT
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    activated_at = models.DateTimeField(_("geactiveerd op"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("werkproces")
        verbose_name_plural = _("werkprocessen")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="actief"),
                name="one_active_workflow_definition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (versie {self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == DefinitionStatus.DRAFT


class WorkflowStep(models.Model):
    definition = models.ForeignKey(
        WorkflowDefinition, on_delete=models.CASCADE, related_name="steps"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=120)
    explanation = models.TextField(_("uitleg"), blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=StepKind.choices)
    deadline_days = models.PositiveIntegerField(_("termijn in dagen"), null=True, blank=True)
    deadline_days_by_priority = models.JSONField(
        _("termijn per prioriteit"), default=dict, blank=True
    )
    responsible_role = models.CharField(_("verantwoordelijke rol"), max_length=40)
    guards = models.JSONField(_("voorwaarden om de stap te verlaten"), default=list, blank=True)
    is_start = models.BooleanField(_("startstap"), default=False)
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    next_steps = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="previous_steps",
        blank=True,
        verbose_name=_("volgende stappen"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "code"], name="unique_step_code_per_definition"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def deadline_days_for(self, priority_code: str | None) -> int | None:
        return self.deadline_days_by_priority.get(priority_code or "", self.deadline_days)


class Priority(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=80)
    colour = models.CharField(_("kleur"), max_length=7, default="#24578f")
    reaction_hours = models.PositiveIntegerField(_("reactietijd in uren"))
    position = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("prioriteit")
        verbose_name_plural = _("prioriteiten")

    def __str__(self) -> str:
        return self.name


class Chain(models.TextChoices):
    """The two chains the texts join ("verbinding zorg met justitie"): a plan shows both."""

    ZORG = "zorg", pgettext_lazy("keten", "zorg")
    JUSTITIE = "justitie", pgettext_lazy("keten", "justitie")


class PartnerKind(models.TextChoices):
    ZORG = "zorg", _("Zorg")
    JUSTITIE = "justitie", _("Justitie")
    JEUGD = "jeugd", _("Jeugd")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    OPVANG = "opvang", _("Opvang")
    GEMEENTE = "gemeente", _("Gemeente")
    OVERIG = "overig", _("Overig")

    @property
    def chain(self) -> "Chain":
        """Opvang and jeugd are kinds of zorg; only justitie is the justice chain."""
        return Chain.JUSTITIE if self == PartnerKind.JUSTITIE else Chain.ZORG


class CovenantStatus(models.TextChoices):
    NONE = "geen", _("geen convenant")
    PREPARING = "in_voorbereiding", _("in voorbereiding")
    SIGNED = "getekend", _("getekend")
    ENDED = "beeindigd", _("beëindigd")


class Participation(models.TextChoices):
    SCREENING_TEAM = "screeningsteam", _("screeningsteam")
    INFORMATION_ROUND = "informatieronde", _("informatieronde")
    REFERRAL = "doorverwijzing", _("doorverwijzing")
    PLAN_ACTIONS = "plan_acties", _("acties in een plan van aanpak")


class Partner(models.Model):
    name = models.CharField(_("naam"), max_length=160, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=PartnerKind.choices)
    covenant_status = models.CharField(
        _("convenant"), max_length=20, choices=CovenantStatus.choices, default=CovenantStatus.NONE
    )
    covenant_signed_on = models.DateField(_("convenant getekend op"), null=True, blank=True)
    covenant_ends_on = models.DateField(_("convenant loopt tot"), null=True, blank=True)
    participates_in = models.JSONField(_("neemt deel aan"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    def has_current_covenant(self, on=None) -> bool:
        """Only partners with a covenant in force may receive case information."""
        today = on or timezone.localdate()
        return (
            self.covenant_status == CovenantStatus.SIGNED
            and self.covenant_signed_on is not None
            and self.covenant_signed_on <= today
            and (self.covenant_ends_on is None or today <= self.covenant_ends_on)
        )


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    function = models.CharField(_("functie"), max_length=120, blank=True)
    # The contact's account in the partner portal: it sees its organisation's inbox only.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_contact",
        verbose_name=_("account in het partnerportaal"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")

    def __str__(self) -> str:
        return self.name


class CatalogueKind(models.TextChoices):
    SIGNAL = "signalen", _("Signalen")
    CASE_TYPE = "casustypen", _("Casustypen")
    CHANNEL = "meldkanalen", _("Meldkanalen")
    REPORT_FORM = "meldformulieren", _("Meldformulieren")
    EVALUATION_QUESTION = "evaluatievragen", _("Evaluatievragen")
    CLOSING_REASON = "afsluitredenen", _("Afsluitredenen")
    FEEDBACK_TEMPLATE = "terugkoppelsjablonen", _("Terugkoppelsjablonen")


class ReportFormKind(models.TextChoices):
    """What a public report form asks, beyond the concern and the reporter's details."""

    REPORT = "melding", _("Meldformulier: zorg, signalen en betrokkenen")
    RISK = "risicotaxatie", _("Risicotaxatieformulier: ook de vragen van het risico-instrument")
    CONTACT = "contact", _("Contactformulier: zorg en betrokkenen, zonder signalenlijst")


class CatalogueEntry(models.Model):
    """One entry of one of the region's lists; `text` holds a template's body, `form_kind`
    what a report form asks."""

    catalogue = models.CharField(_("lijst"), max_length=30, choices=CatalogueKind.choices)
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=300)
    text = models.TextField(_("tekst"), blank=True)
    form_kind = models.CharField(
        _("soort formulier"), max_length=20, choices=ReportFormKind.choices, blank=True
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["catalogue", "position", "id"]
        verbose_name = _("lijstwaarde")
        verbose_name_plural = _("lijstwaarden")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="unique_code_per_catalogue")
        ]

    def __str__(self) -> str:
        return self.name


class RiskQuestion(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    text = models.CharField(_("vraag"), max_length=300)
    weight = models.PositiveIntegerField(_("gewicht"), default=1)
    position = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("risicotaxatievraag")
        verbose_name_plural = _("risicotaxatievragen")

    def __str__(self) -> str:
        return self.text


class RiskLevel(models.Model):
    """A score from `threshold` upwards (to the next level's threshold) means this level."""

    threshold = models.PositiveIntegerField(_("vanaf score"), unique=True)
    level = models.CharField(_("niveau"), max_length=40)

    class Meta:
        ordering = ["threshold"]
        verbose_name = _("risiconiveau")
        verbose_name_plural = _("risiconiveaus")

    def __str__(self) -> str:
        return self.level


class ScreeningTeamAccessChoice(models.TextChoices):
    """accounts.policy.ScreeningTeamAccess, with the words the settings screen shows."""

    AGENDA_ONLY = ScreeningTeamAccess.AGENDA_ONLY, _("pas als de casus op de agenda staat")
    WITHOUT_REPORTER = (
        ScreeningTeamAccess.WITHOUT_REPORTER,
        _("meteen, zonder naam en contactgegevens van de melder"),
    )
    FULL = ScreeningTeamAccess.FULL, _("meteen, met de hele casus")


class RegionSettings(models.Model):
    """The region's general settings; one row."""

    configuration_name = models.CharField(_("configuratie"), max_length=120, blank=True)
    retention_months = models.PositiveIntegerField(
        _("bewaartermijn na afsluiting (maanden)"), default=60
    )
    benchmark_opt_in = models.BooleanField(_("doet mee aan de landelijke benchmark"), default=False)
    # Off until the region decides (docs/matching.md): then its persons' digests go to
    # the platform's match table and its procesregisseurs receive signals.
    matching_enabled = models.BooleanField(
        _("doet mee aan de landelijke signalering"), default=False
    )
    # A screening team member sees a case while it is on the agenda of a meeting they
    # attend: from this many days before the meeting until this many days after it.
    meeting_access_days_before = models.PositiveIntegerField(
        _("leden screeningsteam zien een geagendeerde casus vanaf (dagen voor het overleg)"),
        default=7,
    )
    meeting_access_days_after = models.PositiveIntegerField(
        _("tot (dagen na het overleg)"), default=14
    )
    # Before a meeting puts it on their agenda, a screening team member finds a case
    # whose current step names the team: not at all, without who reported, or whole.
    screening_team_access = models.CharField(
        _("leden screeningsteam zien casussen die op het screeningsteam wachten"),
        max_length=20,
        choices=ScreeningTeamAccessChoice.choices,
        default=ScreeningTeamAccessChoice.WITHOUT_REPORTER,
    )
    # Consent (the region's age rules): from this age a person decides alone; from the
    # lower age together with a parent or guardian; below it a parent or guardian decides.
    consent_alone_from_age = models.PositiveIntegerField(
        _("toestemming: zelf vanaf (leeftijd)"), default=16
    )
    consent_together_from_age = models.PositiveIntegerField(
        _("toestemming: samen met ouder of voogd vanaf (leeftijd)"), default=12
    )
    # Process oversight: a case without any recorded activity this long is "stil".
    quiet_case_days = models.PositiveIntegerField(
        _("casus zonder activiteit na (dagen)"), default=21
    )

    class Meta:
        verbose_name = _("regio-instellingen")
        verbose_name_plural = _("regio-instellingen")

    def __str__(self) -> str:
        return self.configuration_name or "regio-instellingen"

    @classmethod
    def current(cls) -> "RegionSettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings


class RegionMunicipality(models.Model):
    """A municipality in the region's working area, from the CBS reference list; whether it
    funds the meldpunt (the yearly report is for them), and how many young people live
    there where the region knows it (the map then shows cases per 10,000)."""

    code = models.CharField(_("gemeente"), max_length=6, unique=True, choices=municipality_choices)
    funds_meldpunt = models.BooleanField(_("financiert het meldpunt"), default=False)
    young_population = models.PositiveIntegerField(
        _("aantal jongeren (10 tot 23 jaar)"),
        null=True,
        blank=True,
        help_text=_("Bijvoorbeeld uit CBS StatLine; leeg als onbekend."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("gemeente van de regio")
        verbose_name_plural = _("gemeenten van de regio")

    def __str__(self) -> str:
        return name_of(self.code)
