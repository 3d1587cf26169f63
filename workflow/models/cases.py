"""A case (casus) on a version of the region's work process, its step history, who
coordinates it, and what every record on a case has: who recorded it, when."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from configuratie.models import Priority, WorkflowDefinition, WorkflowStep
from meldpunt.encryption import EncryptedTextField
from workflow.models.bulk import CaseRecordQuerySet

# What the engine makes a case code of: the year the case opened and its number.
REFERENCE_FORM = re.compile(r"[0-9]{4}-[0-9]{5,15}")


def acting_user(**options) -> models.ForeignKey:
    """The user who did something on a case or a meeting (recorded, moved, sent, decided,
    chaired), without an index: a record is read for its case or meeting and joined to
    its user, never looked up by its user (docs/indexes.md, "The survey"), and users are
    never deleted (PROTECT keeps it so), so no check of PostgreSQL's needs one either."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        **options,
    )


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
    # A warme overdracht (national.transfers): the other region's name, on both sides.
    transferred_from = models.CharField(_("overgedragen uit regio"), max_length=120, blank=True)
    transferred_to = models.CharField(_("overgedragen aan regio"), max_length=120, blank=True)
    # The latest of its opening, its step change and every dated record on it; kept by
    # the engine and by every record's save (workflow/activity.py). Process oversight's
    # "no activity" signal reads this column alone.
    last_activity_at = models.DateTimeField(_("laatste activiteit"), default=timezone.now)
    # What the case waits on, kept with every change to its reports, messages, feedback,
    # screening outcomes, plans and actions (workflow/waiting.py): three of process
    # oversight's signals read these columns instead of joining every record of a kind.
    awaits_feedback = models.BooleanField(
        _("gescreend, melder zonder terugkoppeling"), default=False, db_default=False
    )
    reporter_waiting = models.BooleanField(
        _("bericht van een melder onbeantwoord"), default=False, db_default=False
    )
    open_action_due_on = models.DateField(_("eerste open actie gereed voor"), null=True, blank=True)
    # A (possible) victim of the case not yet registered with CoMensha (sent), kept with
    # every change to its persons and registrations (workflow/waiting.py).
    victim_unregistered = models.BooleanField(
        _("slachtoffer nog niet bij CoMensha geregistreerd"), default=False, db_default=False
    )

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
            # Process oversight's one scan of the open cases (workflow/oversight.py): every
            # column its counts per step read, so the scan reads this index, not the rows.
            models.Index(
                fields=["current_step"],
                include=[
                    "id",
                    "deadline_at",
                    "open_action_due_on",
                    "last_activity_at",
                    "awaits_feedback",
                    "reporter_waiting",
                    "victim_unregistered",
                ],
                name="casus_open_counted",
                condition=Q(completed_at__isnull=True),
            ),
            # The statistics' closing reasons of a period (the current month live), and
            # the national benchmark's closed cases of a quarter: closed cases only.
            models.Index(
                fields=["closed_at"],
                name="casus_closed",
                condition=Q(closed_at__isnull=False),
            ),
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
    by = acting_user(null=True)
    at = models.DateTimeField(default=timezone.now)
    # When the case left the step this transition entered: the `at` of its next
    # transition, written by the engine with that transition (None while the case is in
    # it). The statistics' time per step reads the stays from it without a window.
    left_at = models.DateTimeField(null=True, blank=True)
    reason = EncryptedTextField(_("toelichting"), blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        # The statistics' stays of a period (the current month live) by the moment the
        # case left the step; a case's current stay (not left) is never counted.
        indexes = [
            models.Index(
                fields=["left_at"],
                name="steptransition_left",
                condition=Q(left_at__isnull=False),
            )
        ]
        verbose_name = _("stapovergang")
        verbose_name_plural = _("stapovergangen")

    def __str__(self) -> str:
        return f"{self.casus}: {self.from_step} → {self.to_step}"


class Recorded(models.Model):
    """Who recorded something on a case, and when."""

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="+")
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["recorded_at", "id"]
        # No index on recorded_at for every kind of record: process oversight reads the
        # case's own last activity (workflow/activity.py); a case's records are found by
        # the casus index. The kinds the statistics count per period add one themselves.

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.casus} {self.recorded_at:%Y-%m-%d}"


class ExternalCoordinator(models.Model):
    """A casuscoördinator without an account: a professional of a partner, or the person
    who reported (Twente's text allows both). Set through the engine."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("een hulpverlener van een partner")
        REPORTER = "melder", _("de melder")

    casus = models.OneToOneField(
        Casus, on_delete=models.CASCADE, related_name="external_coordinator"
    )
    kind = models.CharField(_("wie"), max_length=20, choices=Kind.choices)
    name = EncryptedTextField(_("naam"))
    organisation = EncryptedTextField(_("organisatie"), blank=True)
    phone = EncryptedTextField(_("telefoon"), blank=True)
    email = EncryptedTextField(_("e-mailadres"), blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("casuscoördinator zonder account")
        verbose_name_plural = _("casuscoördinatoren zonder account")

    def __str__(self) -> str:
        return self.name


class CaseLink(models.Model):
    """Two cases that belong together, such as a victim's and a perpetrator's; each stays
    under its own need-to-know."""

    class Kind(models.TextChoices):
        VICTIM_PERPETRATOR = "slachtoffer_dader", _("slachtoffer en dader")
        SAME_NETWORK = "netwerk", _("hetzelfde netwerk")
        OTHER = "anders", _("anders")

    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="links")
    linked = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="linked_from")
    kind = models.CharField(_("soort koppeling"), max_length=20, choices=Kind.choices)
    created_by = acting_user()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gekoppelde casus")
        verbose_name_plural = _("gekoppelde casussen")
        constraints = [
            models.UniqueConstraint(fields=["casus", "linked"], name="one_link_per_pair"),
            models.CheckConstraint(condition=~Q(casus=models.F("linked")), name="no_self_link"),
        ]

    def __str__(self) -> str:
        return f"{self.casus} ↔ {self.linked}"
