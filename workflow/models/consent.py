"""Consent of a person to a purpose (sharing information, a referral, registration with
CoMensha): who gave it (the person, a parent or guardian, or both), when and for what.
What is shared rests either on consent or on another legal basis with a reason."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.encryption import EncryptedTextField
from workflow.models.cases import Recorded


class Consent(Recorded):
    class Purpose(models.TextChoices):
        SHARING = "informatie_delen", _("informatie delen met een partner")
        REFERRAL = "doorverwijzing", _("doorverwijzen naar een partner")
        TRANSFER = "overdracht", _("overdragen aan een meldpunt in een andere regio")
        COMENSHA = "registratie_comensha", _("registratie bij CoMensha")

    class GivenBy(models.TextChoices):
        PERSON = "betrokkene", _("de betrokkene zelf")
        TOGETHER = "samen", _("de betrokkene samen met een ouder of voogd")
        GUARDIAN = "ouder_voogd", _("een ouder of voogd")

    person = models.ForeignKey(
        "workflow.InvolvedPerson", on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("waarvoor"), max_length=20, choices=Purpose.choices)
    given_by = models.CharField(_("gegeven door"), max_length=20, choices=GivenBy.choices)
    given_on = models.DateField(_("gegeven op"))
    scope = EncryptedTextField(_("voor wat precies"))
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)

    class Meta(Recorded.Meta):
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None
