"""What the platform keeps about the regions beside their schemas."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldpunt.encryption import EncryptedTextField
from tenants.models import Region


class OpenRoleGrant(models.Model):
    """An open role grant in a region, listed for the national administrators without
    looping over every region's schema. No personal data: the account and the people
    involved stay in the region's schema, read there when one grant is opened."""

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.CASCADE)
    grant_id = models.BigIntegerField(_("roltoekenning"))
    role_code = models.SlugField(_("rol"), max_length=40)
    requested_at = models.DateTimeField(_("aangevraagd op"))

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("open roltoekenning")
        verbose_name_plural = _("open roltoekenningen")
        constraints = [
            models.UniqueConstraint(fields=["region", "grant_id"], name="one_row_per_grant")
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.role_code}"


class TransferPart(models.TextChoices):
    """What of a case can go to another region with a warme overdracht."""

    PERSONS = "betrokkenen", _("betrokkenen")
    REPORTS = "meldingen", _("meldingen (zonder de gegevens van de melder)")
    SCREENING = "screening", _("screening")
    RISK = "risicotaxatie", _("risicotaxatie")
    PLAN = "plan", _("plan van aanpak")
    DOCUMENTS = "documenten", _("documenten")


class TransferBasis(models.TextChoices):
    CONSENT = "toestemming", _("toestemming van de betrokkene")
    STATUTORY = "wettelijke_taak", _("een wettelijke taak (toegelicht)")
    OTHER = "anders", _("een andere grondslag (toegelicht)")


class Transfer(models.Model):
    """A proposed warme overdracht of a case to another region, and its outcome
    (national.transfers). The platform keeps only what both regions may see: who sends,
    why, on what basis, which kinds of parts and how many; never a part's content, which
    stays in the regions' schemas. The free texts are encrypted under the platform's keys."""

    class Status(models.TextChoices):
        PROPOSED = "voorgesteld", _("voorgesteld, wacht op de ontvangende regio")
        ACCEPTED = "aanvaard", _("aanvaard en overgedragen")
        DECLINED = "afgewezen", _("afgewezen")

    source = models.ForeignKey(
        Region, verbose_name=_("van regio"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        Region, verbose_name=_("naar regio"), on_delete=models.PROTECT, related_name="+"
    )
    # The case's number in the sending region's schema; its code is no content.
    source_case_id = models.BigIntegerField(_("casus (verzendende regio)"))
    source_reference = models.CharField(_("casuscode (verzendende regio)"), max_length=20)
    # {part: count}, e.g. {"betrokkenen": 2, "meldingen": 1}.
    parts = models.JSONField(_("onderdelen en aantallen"), default=dict)
    basis = models.CharField(_("grondslag"), max_length=20, choices=TransferBasis.choices)
    basis_text = EncryptedTextField(_("toelichting op de grondslag"), blank=True)
    reason = EncryptedTextField(_("waarom"))
    proposed_by = EncryptedTextField(_("voorgesteld door"))
    proposed_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = EncryptedTextField(_("besloten door"), blank=True)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reden van afwijzing"), blank=True)
    target_reference = models.CharField(
        _("casuscode (ontvangende regio)"), max_length=20, blank=True
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_case_id"],
                condition=models.Q(status="voorgesteld"),
                name="one_open_transfer_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="transfer_to_another_region"
            ),
        ]
        indexes = [models.Index(fields=["target", "status"], name="transfer_waiting")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}: {self.source_reference}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PROPOSED
