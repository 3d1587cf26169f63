"""Reports (meldingen), the people they are about, and each reporter's own conversation
with the meldpunt: feedback and messages on the follow-up page of their report."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from configuratie.gemeenten import municipality_choices, name_of
from meldpunt.encryption import EncryptedJSONField, EncryptedTextField, blind_index, normalise
from workflow.models.bulk import CaseRecordQuerySet
from workflow.models.cases import Casus, Recorded, acting_user


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

    # Indexed with the id (Meta.indexes), not alone.
    casus = models.ForeignKey(
        Casus, on_delete=models.CASCADE, related_name="reports", db_index=False
    )
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

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            # Process oversight: which cases received a report since a date.
            models.Index(fields=["submitted_at", "casus"], name="report_submitted_at"),
            # A case's reports, and (casus, id) without the wide rows: process oversight's
            # reports without feedback reads the index alone, not every report.
            models.Index(fields=["casus", "id"], name="report_casus_id"),
        ]
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
    # Indexed with the role and id (Meta.indexes), not alone.
    casus = models.ForeignKey(
        Casus, on_delete=models.CASCADE, related_name="persons", db_index=False
    )
    role = models.CharField(
        _("rol"), max_length=20, choices=PersonRole.choices, default=PersonRole.VICTIM
    )
    name = EncryptedTextField(_("naam"), blank=True)
    name_index = models.CharField(max_length=64, blank=True)
    first_name_index = models.CharField(max_length=64, blank=True)
    last_name_index = models.CharField(max_length=64, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("geboortejaar"), null=True, blank=True, db_index=True
    )
    age = models.PositiveSmallIntegerField(_("leeftijd"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    # A CBS code, kept in the clear: a municipality alone identifies nobody, and the
    # regional map counts by it. Indexed with the case (Meta.indexes), not alone.
    municipality = models.CharField(
        _("gemeente"), max_length=6, blank=True, choices=municipality_choices
    )
    school = EncryptedTextField(_("school of instelling"), blank=True)
    school_index = models.CharField(max_length=64, blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")
        indexes = [
            # A case's persons, and (casus, role, id) without the wide rows: the CoMensha
            # count of open cases with an unregistered victim reads the index alone.
            models.Index(fields=["casus", "role", "id"], name="involvedperson_casus_role"),
            # The cases with someone living in a municipality, from the index alone: every
            # figure of the statistics filtered by a municipality joins it.
            models.Index(fields=["municipality", "casus"], name="person_by_municipality"),
            # The search's four keyed indexes, each holding the case too: a search on a
            # name is answered from the indexes alone (workflow/filters.py), not the table.
            *(
                models.Index(fields=[field], include=["casus"], name=f"person_by_{field}")
                for field in ("name_index", "first_name_index", "last_name_index", "school_index")
            ),
        ]

    def __str__(self) -> str:
        return self.get_role_display()

    def save(self, *args, **kwargs) -> None:
        self.set_indexes()
        super().save(*args, **kwargs)

    def get_municipality_display(self) -> str:
        """The municipality's name, looked up in the list read once per process: Django's
        own made a dict of all 342 choices on every call (a tenth of a case page's CPU)."""
        return name_of(self.municipality)

    def set_indexes(self) -> None:
        """Computed here, before any save or bulk_create, so no index can go stale."""
        self.casus_id = self.report.casus_id
        self.name_index = blind_index(self.name)
        self.first_name_index, self.last_name_index = name_part_indexes(self.name)
        self.school_index = blind_index(self.school)


class Feedback(Recorded):
    """Terugkoppeling to the reporter of one report: each reporter reads only their own."""

    # Indexed with the date (Meta.indexes), not alone.
    report = models.ForeignKey(
        "Report", on_delete=models.CASCADE, related_name="feedback", db_index=False
    )
    text = EncryptedTextField(_("terugkoppeling"))

    class Meta(Recorded.Meta):
        # A report's feedback, and (report, recorded_at) without the wide rows: process
        # oversight's unanswered reporter's messages read the index alone.
        indexes = [
            models.Index(fields=["report", "recorded_at"], name="feedback_report_recorded_at")
        ]


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
    sent_by = acting_user(null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("bericht met de melder")
        verbose_name_plural = _("berichten met de melder")

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.sent_at:%Y-%m-%d}"
