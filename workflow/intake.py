"""The rules a report meets to come in, whichever way it comes (the public form, the
partner portal, the API): a form the region offers, only the warning signs and risk
questions that form asks, a way of feedback that can reach the reporter, a form token
that shows a person filled it in, and how many reports one address may send.

`workflow.services.reports` refuses a report that breaks them with IntakeRefused
(field -> Dutch message), which the form shows at its fields and the API in `velden`.
"""

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from configuratie.models import CatalogueEntry, CatalogueKind, ReportFormKind, RiskQuestion
from configuratie.version import built_from_configuration
from meldpunt.ratelimit import exceeded
from workflow.models import FeedbackPreference

if TYPE_CHECKING:
    from workflow.services.reports import ReportData

ANSWERS = [("ja", _("Ja")), ("nee", _("Nee")), ("onbekend", _("Weet ik niet"))]
MINIMUM_SECONDS = 3  # a person needs longer than this to fill in a report
TOKEN_SALT = "meldformulier"  # noqa: S105  (a signing namespace, not a secret)

UNKNOWN_FORM = _("Kies een formulier dat de regio aanbiedt.")
UNKNOWN_SIGNAL = _("Kies signalen uit de lijst van de regio.")
UNKNOWN_QUESTION = _("Beantwoord alleen de vragen van dit formulier.")
UNKNOWN_ANSWER = _("Kies als antwoord ja, nee of weet ik niet.")
NO_EMAIL = _("Vul uw e-mailadres in, of kies een andere manier van terugkoppeling.")
NO_PHONE = _("Vul uw telefoonnummer in, of kies een andere manier van terugkoppeling.")


class IntakeRefused(ValidationError):
    """A report that breaks the intake rules, with one Dutch message per field."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__({field: [message] for field, message in messages.items()})


class TooManyReports(Exception):
    """More reports from one address than REPORTS_PER_ADDRESS allows."""


@dataclass(frozen=True)
class Limit:
    scope: str
    attempts: int
    seconds: int

    def exceeded_by(self, client: str | None) -> bool:
        """Count one attempt from `client` (an address); True once over the limit."""
        return exceeded(client, self.scope, limit=self.attempts, window=self.seconds)


# Every submission counts, valid or not: a robot that tries variations slows itself.
SUBMISSIONS_PER_ADDRESS = Limit("report-post", attempts=30, seconds=600)
# Reports that pass the rules: a person sends a few, a flood is no person.
REPORTS_PER_ADDRESS = Limit("report", attempts=5, seconds=600)


def offered_forms() -> QuerySet[CatalogueEntry]:
    return CatalogueEntry.objects.filter(catalogue=CatalogueKind.REPORT_FORM, is_active=True)


def offered_form(code: str) -> CatalogueEntry | None:
    """The region's active report form `code`, read once per configuration version
    (every view of the public form asked for it)."""
    forms = built_from_configuration(
        "meldformulieren", lambda: {form.code: form for form in offered_forms()}
    )
    return forms.get(code)


def signal_choices(form: CatalogueEntry) -> list[tuple[str, str]]:
    """The warning signs a report on `form` may name: the region's list, none on a
    contact form; read once per configuration version."""
    if form.form_kind == ReportFormKind.CONTACT:
        return []
    return built_from_configuration(
        "signalen",
        lambda: [
            (entry.code, entry.name)
            for entry in CatalogueEntry.objects.filter(
                catalogue=CatalogueKind.SIGNAL, is_active=True
            )
        ],
    )


def risk_questions(form: CatalogueEntry) -> list[RiskQuestion]:
    """The risk questions `form` asks: the region's instrument on a risk form only."""
    return list(RiskQuestion.objects.all()) if form.form_kind == ReportFormKind.RISK else []


def check_report(data: "ReportData") -> None:
    """Refuses a report that breaks the intake rules, naming every field that does."""
    form = offered_form(data.form_code)
    if form is None:
        raise IntakeRefused({"form_code": UNKNOWN_FORM})
    refused: dict[str, str] = {}
    if set(data.signals) - {code for code, _name in signal_choices(form)}:
        refused["signals"] = UNKNOWN_SIGNAL
    if set(data.risk_answers) - {question.code for question in risk_questions(form)}:
        refused["risk_answers"] = UNKNOWN_QUESTION
    elif set(data.risk_answers.values()) - {code for code, _label in ANSWERS}:
        refused["risk_answers"] = UNKNOWN_ANSWER
    refused |= feedback_refusals(
        data.feedback_preference, email=data.reporter_email, phone=data.reporter_phone
    )
    if refused:
        raise IntakeRefused(refused)


def feedback_refusals(preference: str, *, email: str, phone: str) -> dict[str, str]:
    """Feedback by e-mail needs an address, by phone a number (field -> message); the
    form asks this beside its own checks, so that a person sees every error at once."""
    if preference == FeedbackPreference.EMAIL and not email:
        return {"reporter_email": NO_EMAIL}
    if preference == FeedbackPreference.PHONE and not phone:
        return {"reporter_phone": NO_PHONE}
    return {}


def new_form_token() -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(str(uuid.uuid4()))


class ExpiredFormToken(ValidationError):
    pass


def submission_of(token: str) -> uuid.UUID:
    """The submission a form token stands for, if it was signed by us, less than a day
    and more than a few seconds ago (a person needs longer; a robot does not wait)."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        value = signer.unsign(token, max_age=24 * 3600)
    except signing.BadSignature as error:
        raise ExpiredFormToken(
            _("Het formulier was verlopen. Controleer uw antwoorden en verstuur opnieuw.")
        ) from error
    try:
        signer.unsign(token, max_age=MINIMUM_SECONDS)
    except signing.SignatureExpired:
        return uuid.UUID(value)  # filled in at a person's pace
    raise ValidationError(_("Dat ging erg snel. Controleer uw antwoorden en verstuur opnieuw."))
