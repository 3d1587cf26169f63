"""The case domain: a case (casus) on a version of the region's work process, its
step history, and the records the work process asks for before a case moves on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from configuratie.gemeenten import municipality_choices
from configuratie.models import Partner, Priority, WorkflowDefinition, WorkflowStep
from meldpunt.encryption import EncryptedJSONField, EncryptedTextField, blind_index, normalise


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
        indexes = [
            # The case list's orders (workflow/filters.py): each is served by an index.
            models.Index(
                fields=["deadline_at", "id"],
                name="casus_open_by_deadline",
                condition=Q(completed_at__isnull=True),
            ),
            models.Index(
                fields=["step_entered_at", "id"],
                name="casus_open_by_step_entered",
                condition=Q(completed_at__isnull=True),
            ),
            models.Index(
                fields=["completed_at", "id"],
                name="casus_completed",
                condition=Q(completed_at__isnull=False),
            ),
            models.Index(fields=["opened_at", "id"], name="casus_by_opened"),
        ]

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
    reason = EncryptedTextField(_("toelichting"), blank=True)

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
    advice = EncryptedTextField(_("advies"), blank=True)


class Feedback(Recorded):
    """Terugkoppeling to the reporter of one report: each reporter reads only their own."""

    report = models.ForeignKey("Report", on_delete=models.CASCADE, related_name="feedback")
    text = EncryptedTextField(_("terugkoppeling"))


class InformationRequest(Recorded):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    question = EncryptedTextField(_("vraag"))
    answer = EncryptedTextField(_("antwoord"), blank=True)
    closed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)


class RiskAssessment(Recorded):
    answers = EncryptedJSONField(_("antwoorden"), default=dict)
    score = models.PositiveIntegerField(_("score"))
    level = models.CharField(_("niveau"), max_length=40)


class PlanOfApproach(Recorded):
    summary = EncryptedTextField(_("plan van aanpak"))


class CaseConference(Recorded):
    """Casusoverleg with Veiligheidshuizen and zorgcoördinatoren."""

    held_on = models.DateField(_("gehouden op"))
    notes = EncryptedTextField(_("verslag"), blank=True)


class Referral(Recorded):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    notes = EncryptedTextField(_("toelichting"), blank=True)


class EvaluationRating(models.TextChoices):
    """The short answer to an evaluation question, beside the written one: what the
    statistics summarise without reading (or decrypting) what was written."""

    YES = "ja", _("ja")
    PARTLY = "deels", _("deels")
    NO = "nee", _("nee")
    UNKNOWN = "onbekend", _("onbekend")


class Evaluation(Recorded):
    answers = EncryptedJSONField(_("antwoorden"), default=dict)
    # {question code: EvaluationRating}; codes only, nothing written.
    ratings = models.JSONField(_("korte antwoorden"), default=dict, blank=True)


class ReporterType(models.TextChoices):
    CITIZEN = "burger", _("Burger")
    PARENT = "ouder", _("Ouder of verzorger")
    PROFESSIONAL = "professional", _("Professional (bijvoorbeeld leraar of jongerenwerker)")
    SELF = "betrokkene", _("Ik meld over mijzelf")


class FeedbackPreference(models.TextChoices):
    FOLLOW_PAGE = "volgpagina", _("Via de volgpagina met mijn meldcode")
    EMAIL = "email", _("Per e-mail")
    PHONE = "telefoon", _("Telefonisch")


class Report(models.Model):
    """A melding: what a reporter told the meldpunt, through a form or to staff."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="reports")
    form_code = models.CharField(_("formulier"), max_length=60, blank=True)
    channel = models.CharField(_("kanaal"), max_length=60)
    reporter_type = models.CharField(_("melder"), max_length=20, choices=ReporterType.choices)
    reporter_organisation = EncryptedTextField(_("organisatie van de melder"), blank=True)
    anonymous = models.BooleanField(_("anoniem"), default=False)
    reporter_name = EncryptedTextField(_("naam melder"), blank=True)
    reporter_email = EncryptedTextField(_("e-mailadres melder"), blank=True)
    reporter_phone = EncryptedTextField(_("telefoon melder"), blank=True)
    feedback_preference = models.CharField(
        _("terugkoppeling via"),
        max_length=20,
        choices=FeedbackPreference.choices,
        default=FeedbackPreference.FOLLOW_PAGE,
    )
    concern = EncryptedTextField(_("zorg"))
    signals = models.JSONField(_("signalen"), default=list, blank=True)
    risk_answers = EncryptedJSONField(
        _("antwoorden risicotaxatieformulier"), default=dict, blank=True
    )
    submitted_at = models.DateTimeField(_("ontvangen op"), default=timezone.now)
    # The same form sent twice (a double click, a resend after a time-out) is one report.
    submission_token = models.UUIDField(null=True, blank=True, unique=True)
    follow_code = models.CharField(_("meldcode"), max_length=20, unique=True)
    follow_secret_hash = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return self.follow_code


class PersonRole(models.TextChoices):
    VICTIM = "slachtoffer", _("(mogelijk) slachtoffer")
    SUSPECT = "dader", _("(vermoedelijke) dader")
    OTHER = "anders", _("anders of onbekend")


class Gender(models.TextChoices):
    FEMALE = "v", _("vrouw of meisje")
    MALE = "m", _("man of jongen")
    OTHER = "x", _("anders")


# Words that start a Dutch (or Arabic) surname: "de Vries" is found as "Vries" too.
SURNAME_PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ten", "ter", "te", "t", "in", "op", "el", "al", "la", "le"}
)


def surname_core(words: list[str]) -> str:
    """The surname without its leading particles: ['van', 'der', 'berg'] -> 'berg'."""
    core = list(words)
    while len(core) > 1 and core[0] in SURNAME_PARTICLES:
        core.pop(0)
    return " ".join(core)


def name_part_indexes(name: str) -> tuple[str, str]:
    """Blind indexes of the first name and of the surname, each searchable on its own."""
    words = normalise(name).replace("'", "").split()
    if not words:
        return "", ""
    surname = surname_core(words[1:]) if len(words) > 1 else ""
    return blind_index(words[0]), blind_index(surname)


class InvolvedPerson(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="persons")
    # The report's case, kept here too: a search on a name goes straight to the case.
    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(
        _("rol"), max_length=20, choices=PersonRole.choices, default=PersonRole.VICTIM
    )
    name = EncryptedTextField(_("naam"), blank=True)
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    first_name_index = models.CharField(max_length=64, blank=True, db_index=True)
    last_name_index = models.CharField(max_length=64, blank=True, db_index=True)
    birth_year = models.PositiveSmallIntegerField(
        _("geboortejaar"), null=True, blank=True, db_index=True
    )
    age = models.PositiveSmallIntegerField(_("leeftijd"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    # A CBS code, kept in the clear: a municipality alone identifies nobody, and the
    # regional map counts by it.
    municipality = models.CharField(
        _("gemeente"), max_length=6, blank=True, choices=municipality_choices, db_index=True
    )
    school = EncryptedTextField(_("school of instelling"), blank=True)
    school_index = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")

    def __str__(self) -> str:
        return self.get_role_display()

    def save(self, *args, **kwargs) -> None:
        self.set_indexes()
        super().save(*args, **kwargs)

    def set_indexes(self) -> None:
        """Computed here, before any save or bulk_create, so no index can go stale."""
        self.casus_id = self.report.casus_id
        self.name_index = blind_index(self.name)
        self.first_name_index, self.last_name_index = name_part_indexes(self.name)
        self.school_index = blind_index(self.school)


class OutboxMessage(models.Model):
    """An e-mail committed with the change that caused it, sent when the mail path is up."""

    to = EncryptedTextField()
    subject = models.CharField(max_length=200)
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.subject


class ReporterMessage(models.Model):
    """A question from the meldpunt to the reporter of one report, or that reporter's
    answer or addition, exchanged through the follow-up page of that report."""

    class Direction(models.TextChoices):
        QUESTION = "vraag", _("vraag van het meldpunt")
        REPLY = "antwoord", _("bericht van de melder")

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="reporter_messages")
    report = models.ForeignKey("Report", on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    text = EncryptedTextField(_("bericht"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("bericht met de melder")
        verbose_name_plural = _("berichten met de melder")

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.sent_at:%Y-%m-%d}"


class ScreeningNote(Recorded):
    """What the screening team did: a note, a source it checked, a contact with the reporter."""

    class Kind(models.TextChoices):
        NOTE = "notitie", _("notitie")
        SOURCE = "bron", _("geraadpleegde bron")
        CONTACT = "contact", _("contact met de melder")

    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = EncryptedTextField(_("tekst"))
