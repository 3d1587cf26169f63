"""Privacy in operation, per region: how long data are kept, legal holds that stop
their destruction, the record of every destruction, the weekly review of unusual
access, the runs of the retention and the review as jobs, and the keys that seal what
the audit log holds about one person."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldpunt.encryption import EncryptedTextField
from meldpunt.jobs import Job
from workflow.models import Casus, InvolvedPerson

MAX_MONTHS = 1200


class RetentionSettings(models.Model):
    """What the region keeps beyond its default period after completion
    (configuratie.RegionSettings.retention_months); one row."""

    reporter_contact_months = models.PositiveIntegerField(
        _("contactgegevens van de melder bewaren na de laatste terugkoppeling (maanden)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
    )

    class Meta:
        verbose_name = _("bewaartermijnen")
        verbose_name_plural = _("bewaartermijnen")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "RetentionSettings":
        found, _created = cls.objects.get_or_create(pk=1)
        return found


class ClosingReasonRetention(models.Model):
    """A period after completion for cases closed with one reason, instead of the default."""

    closing_reason = models.SlugField(_("afsluitreden"), max_length=60, unique=True)
    months = models.PositiveIntegerField(
        _("bewaren na afronding (maanden)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
    )

    class Meta:
        ordering = ["closing_reason"]
        verbose_name = _("bewaartermijn per afsluitreden")
        verbose_name_plural = _("bewaartermijnen per afsluitreden")

    def __str__(self) -> str:
        return f"{self.closing_reason}: {self.months}"


class LegalHold(models.Model):
    """A case that must not be destroyed (a running investigation, a complaint, a court
    case), with the reason and who set and lifted it. One hold at a time per case."""

    casus = models.ForeignKey(Casus, on_delete=models.PROTECT, related_name="legal_holds")
    reason = EncryptedTextField(_("reden"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("ingesteld op"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("opgeheven op"), null=True, blank=True)
    lift_reason = EncryptedTextField(_("reden van opheffen"), blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("bewaarplicht")
        verbose_name_plural = _("bewaarplichten")
        constraints = [
            models.UniqueConstraint(
                fields=["casus"], condition=Q(lifted_at__isnull=True), name="one_active_hold"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.casus}"


class Scope(models.TextChoices):
    CASE = "casus", _("hele casus")
    PERSON = "betrokkene", _("één betrokkene")
    REPORTER = "melder", _("contactgegevens van de melder")
    EMAIL = "email", _("verzonden e-mails")
    AUDIT = "auditlog", _("auditregels")


class Rule(models.TextChoices):
    CASE_RETENTION = "bewaartermijn_casus", _("bewaartermijn na afronding verstreken")
    REPORTER_CONTACT = (
        "bewaartermijn_melder",
        _("bewaartermijn van contactgegevens na de laatste terugkoppeling verstreken"),
    )
    ERASURE_REQUEST = "verwijderverzoek", _("verzoek tot verwijdering (AVG artikel 17)")
    SENT_EMAIL = "verzonden_email", _("e-mail verzonden: inhoud en ontvanger niet meer nodig")
    AUDIT_RETENTION = "bewaartermijn_auditlog", _("bewaartermijn van het auditlog verstreken")


class DestructionRecord(models.Model):
    """What was destroyed (kinds and counts, never the content), when, under which rule."""

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    rule = models.CharField(_("regel"), max_length=30, choices=Rule.choices)
    scope = models.CharField(_("omvang"), max_length=20, choices=Scope.choices)
    casus = models.ForeignKey(
        Casus, on_delete=models.PROTECT, null=True, blank=True, related_name="destructions"
    )
    # Plain values, so a record reads the same whatever happens to what it names.
    case_reference = models.CharField(_("casus"), max_length=20, blank=True)
    report_code = models.CharField(_("melding"), max_length=20, blank=True)
    person_id = models.CharField(_("betrokkene"), max_length=64, blank=True)
    # {"workflow.Report": 2, ...}: kinds and counts.
    destroyed = models.JSONField(_("vernietigd"), default=dict)
    # The rule's figures: codes, periods and dates, never personal data.
    basis = models.JSONField(_("grond"), default=dict, blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("vernietigingsverslag")
        verbose_name_plural = _("vernietigingsverslagen")
        indexes = [models.Index(fields=["scope", "casus"], name="destruction_scope_case")]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.at:%Y-%m-%d}"


class PersonKey(models.Model):
    """A key of one person in a case. What the audit log holds about that person (the
    old and new values of a correction) is sealed under it; destroying the key with
    the person's data makes those values unreadable while the append-only lines stay."""

    person = models.OneToOneField(InvolvedPerson, on_delete=models.CASCADE, related_name="+")
    key = EncryptedTextField(blank=True)  # a Fernet key, itself under the region's key
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sleutel van een betrokkene")
        verbose_name_plural = _("sleutels van betrokkenen")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.person_id}"


class AccessReview(models.Model):
    """The weekly review of unusual access, for the privacy officer."""

    period_start = models.DateTimeField(_("van"), unique=True)
    period_end = models.DateTimeField(_("tot"))
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("logcontrole")
        verbose_name_plural = _("logcontroles")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.period_start:%Y-%m-%d}"


class FindingKind(models.TextChoices):
    MANY_CASES = "veel_casussen", _("opende veel meer casussen dan collega's")
    OUTSIDE_HOURS = "buiten_werktijd", _("opende een casus buiten werktijd")
    NOT_LINKED = "niet_betrokken", _("opende een casus zonder betrokken te zijn")
    SEARCH_WITHOUT_FOLLOW_UP = (
        "zoeken_zonder_vervolg",
        _("zocht op een persoon zonder een gevonden casus te openen"),
    )


class ReviewFinding(models.Model):
    """One unusual access in a review; the privacy officer marks it checked, with a note."""

    review = models.ForeignKey(AccessReview, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("soort"), max_length=30, choices=FindingKind.choices)
    user_id = models.BigIntegerField(_("gebruiker-id"), null=True, blank=True)
    user_email = models.CharField(_("gebruiker"), max_length=254, blank=True)
    role = models.CharField(_("rol"), max_length=200, blank=True)
    case_id = models.CharField(_("casus"), max_length=64, blank=True)
    at = models.DateTimeField(_("tijdstip"), null=True, blank=True)
    # Counts and codes: how many cases against the peers' median, and the like.
    detail = models.JSONField(_("details"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("notitie"), blank=True)

    class Meta:
        ordering = ["kind", "at", "id"]
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user_email}"


class PrivacyRun(Job):
    """One run of the nightly retention or the weekly review, as a job (meldpunt.jobs):
    its screen shows whether the last run finished, was resumed after its worker died,
    or failed and can be run again."""

    class Kind(models.TextChoices):
        RETENTION = "bewaartermijnen", _("bewaartermijnen toepassen")
        REVIEW = "logcontrole", _("logcontrole maken")

    task = "privacy.tasks.run_privacy_job"

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    requested_at = models.DateTimeField(_("gestart op"), default=timezone.now)
    # Counts only: how many cases, contacts and findings the run handled.
    outcome = models.JSONField(_("uitkomst"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("privacytaak")
        verbose_name_plural = _("privacytaken")
        indexes = [models.Index(fields=["kind", "-requested_at"], name="privacy_run_latest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_at:%Y-%m-%d %H:%M}"
