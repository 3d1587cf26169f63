"""What the work process records on a case: the screening, the journal, the information
round, the risk assessment, referrals, documents and the evaluation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from configuratie.models import Partner
from meldpunt.encryption import EncryptedBinaryField, EncryptedJSONField, EncryptedTextField
from workflow.models.cases import Recorded, acting_user


class ScreeningOutcome(Recorded):
    class Outcome(models.TextChoices):
        JA = "ja", _("loverboyproblematiek: ja")
        VERMOEDEN = "vermoeden", _("loverboyproblematiek: vermoeden")
        NEE = "nee", _("loverboyproblematiek: nee")
        ONVOLDOENDE = "onvoldoende", _("onvoldoende informatie")

    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    advice = EncryptedTextField(_("advies"), blank=True)


class JournalEntry(Recorded):
    """The case's journal: a note, a source checked, a contact with the reporter or a partner."""

    class Kind(models.TextChoices):
        NOTE = "notitie", _("notitie")
        SOURCE = "bron", _("geraadpleegde bron")
        CONTACT = "contact", _("contact met de melder")
        PARTNER = "partner", _("contact met een partner")

    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = EncryptedTextField(_("tekst"))

    class Meta(Recorded.Meta):
        verbose_name = _("journaalregel")
        verbose_name_plural = _("journaal")


class LegalBasis(models.TextChoices):
    """On what grounds case information is shared with a partner."""

    COVENANT = "convenant", _("het convenant")
    CONSENT = "toestemming", _("toestemming van de betrokkene")
    STATUTORY = "wettelijke_taak", _("een wettelijke taak")
    OTHER = "anders", _("een andere grondslag (toegelicht)")


class SharedField(models.TextChoices):
    """The details of a person that can go to a partner; each sharing picks the fewest."""

    NAME = "naam", _("naam")
    BIRTH_YEAR = "geboortejaar", _("geboortejaar")
    AGE = "leeftijd", _("leeftijd")
    MUNICIPALITY = "gemeente", _("gemeente")
    SCHOOL = "school", _("school of instelling")


class PartnerResponse(models.TextChoices):
    """How a partner's answer or decision reached the case."""

    PHONE = "telefoon", _("telefonisch")
    MAIL = "email", _("per e-mail")
    MEETING = "overleg", _("in een overleg")
    PORTAL = "portaal", _("in het partnerportaal")


class SharedWithPartner(Recorded):
    """Something that goes to one partner: exactly which persons and which of their
    details, and on what it rests — the consents of the persons shared, or another legal
    basis with the reason for sharing without consent. The partner's contact persons
    see it in the portal and answer it there; reminders go out as `answer_by` nears."""

    SharedField = SharedField

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    persons = models.ManyToManyField(
        "workflow.InvolvedPerson",
        related_name="+",
        blank=True,
        verbose_name=_("gedeelde betrokkenen"),
    )
    shared_fields = models.JSONField(_("gedeelde gegevens"), default=list, blank=True)
    legal_basis = models.CharField(_("grondslag"), max_length=20, choices=LegalBasis.choices)
    legal_basis_text = EncryptedTextField(_("reden om zonder toestemming te delen"), blank=True)
    consents = models.ManyToManyField(
        "workflow.Consent", related_name="+", blank=True, verbose_name=_("toestemmingen")
    )
    answer_by = models.DateField(_("antwoord gevraagd voor"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("laatst herinnerd op"), null=True, blank=True)

    class Meta(Recorded.Meta):
        abstract = True

    @property
    def rests_on_consent(self) -> bool:
        return self.legal_basis == LegalBasis.CONSENT


class InformationRequest(SharedWithPartner):
    """A question to a covenant partner in the information round."""

    AnsweredVia = PartnerResponse

    # A few words without names, by which staff and the partner's contact persons both
    # know the request in their lists (with its number, the primary key).
    subject = EncryptedTextField(_("onderwerp"), blank=True)
    question = EncryptedTextField(_("vraag"))
    answer = EncryptedTextField(_("antwoord"), blank=True)
    answered_via = models.CharField(
        _("antwoord ontvangen"), max_length=10, choices=PartnerResponse.choices, blank=True
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    # Who answered in the partner portal (empty when staff recorded the answer).
    answered_by = acting_user(null=True, blank=True)
    close_reason = EncryptedTextField(_("reden van sluiten"), blank=True)
    closed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    class Meta(SharedWithPartner.Meta):
        # The statistics count the requests of a period (statistiek/figures.py).
        indexes = [
            models.Index(fields=["recorded_at", "casus"], name="informationrequest_recorded_at")
        ]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RiskAssessment(Recorded):
    """A risk assessment with the region's instrument: each question answered ja / nee /
    onbekend; the team's level may differ from the computed one, with a reason."""

    answers = EncryptedJSONField(_("antwoorden"), default=dict)
    score = models.PositiveIntegerField(_("score"))
    computed_level = models.CharField(_("berekend niveau"), max_length=40)
    level = models.CharField(_("niveau"), max_length=40)
    deviation_reason = EncryptedTextField(_("reden voor een ander niveau"), blank=True)
    agenda_item = models.ForeignKey(
        "workflow.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    @property
    def deviates(self) -> bool:
        return self.level != self.computed_level


class Referral(SharedWithPartner):
    """A referral to a partner for specialised help; the partner accepts or declines
    (in the portal, or staff record the answer that came by phone or mail)."""

    class Help(models.TextChoices):
        AMBULANT = "ambulant", _("gespecialiseerde ambulante hulp")
        RESIDENTIAL = "residentieel", _("residentiële hulp (opvang, behandeling)")
        OTHER = "anders", _("andere hulp")

    class Status(models.TextChoices):
        PROPOSED = "voorgesteld", _("voorgesteld, wacht op de partner")
        ACCEPTED = "geaccepteerd", _("geaccepteerd")
        DECLINED = "afgewezen", _("afgewezen")

    help = models.CharField(
        _("soort hulp"), max_length=20, choices=Help.choices, default=Help.AMBULANT
    )
    notes = EncryptedTextField(_("toelichting"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decided_by = acting_user(null=True, blank=True)
    decided_via = models.CharField(
        _("besluit ontvangen"), max_length=10, choices=PartnerResponse.choices, blank=True
    )
    decline_reason = EncryptedTextField(_("reden van afwijzing"), blank=True)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PROPOSED


class EvaluationRating(models.TextChoices):
    """The short answer to an evaluation question, beside the written one: what the
    statistics summarise without reading (or decrypting) what was written."""

    YES = "ja", _("ja")
    PARTLY = "deels", _("deels")
    NO = "nee", _("nee")
    UNKNOWN = "onbekend", _("onbekend")


class Evaluation(Recorded):
    """The evaluation after closure, with the region's questions."""

    answers = EncryptedJSONField(_("antwoorden"), default=dict)
    # {question code: EvaluationRating}; codes only, nothing written.
    ratings = models.JSONField(_("korte antwoorden"), default=dict, blank=True)

    class Meta(Recorded.Meta):
        # The statistics read the evaluations of a period (statistiek/figures.py).
        indexes = [models.Index(fields=["recorded_at", "casus"], name="evaluation_recorded_at")]


class CaseDocument(Recorded):
    """An attachment, encrypted at rest, served only through an access-checked view and
    only once the virus scanner has found it clean."""

    class Scan(models.TextChoices):
        # Stored (encrypted) but never served: the scanner was down when it came in.
        PENDING = "wacht", _("wordt gecontroleerd")
        CLEAN = "schoon", _("gecontroleerd")
        # Found infected after quarantine: the content is erased, the row says what happened.
        REFUSED = "geweigerd", _("geweigerd: er zit een virus in")

    title = EncryptedTextField(_("titel"))
    # Chosen by the product: the uploader's stem and the extension of the detected type.
    filename = EncryptedTextField(_("bestandsnaam"))
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveIntegerField(_("grootte in bytes"))
    content = EncryptedBinaryField(_("inhoud"))
    scan = models.CharField(
        _("viruscontrole"), max_length=10, choices=Scan.choices, default=Scan.PENDING
    )
    scanned_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)

    class Meta(Recorded.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        # The scan task looks for waiting documents every minute in every region.
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(scan="wacht"), name="casedocument_waiting_scan"
            ),
        ]

    @property
    def downloadable(self) -> bool:
        return self.scan == self.Scan.CLEAN
