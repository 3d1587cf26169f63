"""Meetings of the screening team (Twente's screeningsteam-overleg) and case conferences
(Limburg's casusoverleg): who attends, and the agenda of cases walked in the meeting.
A screening team member sees a case only while it is on the agenda of a meeting they
attend (accounts.policy)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from configuratie.models import Partner
from meldpunt.encryption import EncryptedTextField
from workflow.models.bulk import CaseRecordQuerySet
from workflow.models.cases import Casus, acting_user


class Meeting(models.Model):
    class Kind(models.TextChoices):
        SCREENING_TEAM = "screeningsteam", _("Screeningsteam-overleg")
        CASE_CONFERENCE = "casusoverleg", _("Casusoverleg")

    kind = models.CharField(_("soort overleg"), max_length=20, choices=Kind.choices)
    title = EncryptedTextField(_("naam van het overleg"), blank=True)
    starts_at = models.DateTimeField(_("datum en tijd"))
    location = EncryptedTextField(_("plaats"), blank=True)
    chair = acting_user(null=True, blank=True, verbose_name=_("voorzitter"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings", blank=True, verbose_name=_("deelnemers")
    )
    # Who of the attendees was there, once the meeting recorded it (attendance_recorded_at).
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="meetings_present",
        blank=True,
        verbose_name=_("aanwezig"),
    )
    attendance_recorded_at = models.DateTimeField(
        _("aanwezigheid vastgelegd op"), null=True, blank=True
    )
    created_by = acting_user()
    closed_at = models.DateTimeField(_("verslag vastgesteld op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("afgezegd op"), null=True, blank=True)
    # The iCalendar SEQUENCE of its invitations: raised on each change of time or place
    # and on cancelling, so calendars replace the earlier invitation.
    sequence = models.PositiveIntegerField(_("versie van de uitnodiging"), default=0)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    @property
    def present_names(self) -> list[str]:
        """Who was there, attendees and guests (prefetch `present` and `guests__partner`)."""
        guests = [f"{guest.name} ({guest.partner})" for guest in self.guests.all() if guest.present]
        return [str(user) for user in self.present.all()] + guests


class MeetingGuest(models.Model):
    """A partner professional at the meeting without an account, by name and organisation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = EncryptedTextField(_("naam"))
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisatie")
    )
    present = models.BooleanField(_("aanwezig"), default=False)
    email = EncryptedTextField(_("e-mailadres"), blank=True)  # where the invitation goes

    class Meta:
        ordering = ["id"]
        verbose_name = _("gast")
        verbose_name_plural = _("gasten")

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """A case on a meeting's agenda, and what the meeting recorded about it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    casus = models.ForeignKey(Casus, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    minutes = EncryptedTextField(_("verslag"), blank=True)
    decision = EncryptedTextField(_("besluit"), blank=True)
    discussed_at = models.DateTimeField(_("besproken op"), null=True, blank=True)
    discussed_by = acting_user(null=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "casus"], name="a_case_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.casus}"


class MeetingFeed(models.Model):
    """A user's calendar subscription to the meetings they attend: a secret address.
    Only a keyed digest of the secret is stored (workflow.services.meeting_invitations);
    making a new one replaces it, deleting the row revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed"
    )
    key_digest = models.CharField(_("sleuteldigest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"))
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self) -> str:
        return str(self.user)
