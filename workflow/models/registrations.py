"""The registration of a (possible) victim of human trafficking with CoMensha, the
national coordination centre: the fields CoMensha asks, the consent it rests on, and
when and by whom it was sent. CoMensha passes anonymised figures to the Nationaal
Rapporteur; the region counts its registrations itself (statistiek)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.encryption import EncryptedTextField
from workflow.models.cases import Recorded, acting_user
from workflow.models.reports import Gender


class ComenshaRegistration(Recorded):
    class Exploitation(models.TextChoices):
        SEXUAL = "seksueel", _("seksuele uitbuiting")
        LABOUR = "arbeid", _("arbeidsuitbuiting (overige arbeid)")
        CRIMINAL = "crimineel", _("criminele uitbuiting")
        ORGANS = "organen", _("orgaanhandel")

    class Need(models.TextChoices):
        REGISTRATION = "registratie", _("alleen registratie")
        SHELTER = "opvang", _("registratie en opvang")
        ADVICE = "advies", _("registratie, informatie en advies")

    person = models.ForeignKey(
        "workflow.InvolvedPerson",
        on_delete=models.CASCADE,
        related_name="comensha_registrations",
        verbose_name=_("betrokkene"),
    )
    consent = models.ForeignKey(
        "workflow.Consent",
        # Kept as long as the registration: it is what the registration rests on.
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("toestemming"),
    )
    exploitation = models.CharField(
        _("vorm van uitbuiting"), max_length=20, choices=Exploitation.choices
    )
    country_of_origin = EncryptedTextField(_("land van herkomst"))
    age = models.PositiveSmallIntegerField(_("leeftijd"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    identifying_organisation = EncryptedTextField(_("signalerende organisatie"))
    need = models.CharField(_("behoefte"), max_length=20, choices=Need.choices)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    sent_by = acting_user(null=True, blank=True, verbose_name=_("verstuurd door"))
    sent_note = EncryptedTextField(_("toelichting bij het versturen"), blank=True)

    class Meta(Recorded.Meta):
        verbose_name = _("registratie bij CoMensha")
        verbose_name_plural = _("registraties bij CoMensha")
        indexes = [
            models.Index(fields=["recorded_at", "casus"], name="comensha_recorded_at"),
            # The statistics count registrations by the day they were sent.
            models.Index(fields=["sent_at"], name="comensha_sent_at"),
        ]
