"""Reports in: the public form's submission, and the reporter's follow-up with a code.

A report is committed (with its case, people and any e-mail in the outbox) in one
transaction before anything else happens; the same submission sent twice is one
report. The reporter gets a code and a secret, shown once. The secret has 60 bits
of randomness, so a keyed hash (HMAC) of it is as safe to store as a slow password
hash would be, and a leaked database does not open the follow-up page.
"""

import hmac
import re
import secrets
import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import StepKind
from meldpunt.encryption import platform_digest
from meldpunt.outbox import queue_templated_email
from workflow import engine, intake
from workflow.models import (
    Casus,
    Feedback,
    FeedbackPreference,
    InvolvedPerson,
    Report,
    ReporterMessage,
    ReporterType,
)
from workflow.services import matching, notifications
from workflow.services.reporters import follow_page_url

WEB_CHANNEL = "webformulier"
PARTNER_CHANNEL = "via-een-partner"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand
FOLLOW_CODE_FORM = re.compile(f"M-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}")


@dataclass
class PersonData:
    role: str
    name: str = ""
    age: int | None = None
    birth_year: int | None = None
    gender: str = ""
    municipality: str = ""
    school: str = ""


@dataclass
class ReportData:
    form_code: str
    channel: str
    reporter_type: str
    concern: str
    reporter_organisation: str = ""
    anonymous: bool = False
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    feedback_preference: str = "volgpagina"
    signals: list[str] = field(default_factory=list)
    risk_answers: dict[str, str] = field(default_factory=dict)
    persons: list[PersonData] = field(default_factory=list)


@dataclass(frozen=True)
class Submitted:
    report: Report
    code: str
    secret: str  # empty when this was a repeat of an earlier submission


def new_follow_code() -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"M-{raw[:4]}-{raw[4:]}"
        if not Report.objects.filter(follow_code=code).exists():
            return code


def new_secret() -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))


def earlier_submission(submission_token: uuid.UUID | None) -> Submitted | None:
    """The report a form with this token already made (a double click, a resent page)."""
    if submission_token is None:
        return None
    earlier = Report.objects.filter(submission_token=submission_token).first()
    return Submitted(report=earlier, code=earlier.follow_code, secret="") if earlier else None


def submit_report(
    data: ReportData, *, submission_token: uuid.UUID | None, client: str | None = None
) -> Submitted:
    """A report through the public form or the API's public channel: a new case, on
    behalf of the reporter. Refused (intake.IntakeRefused) when it breaks the intake
    rules, and (intake.TooManyReports) when `client`, the sender's address, sent more
    reports than intake.REPORTS_PER_ADDRESS allows."""
    intake.check_report(data)
    if client is not None and intake.REPORTS_PER_ADDRESS.exceeded_by(client):
        raise intake.TooManyReports
    with transaction.atomic():
        repeated = earlier_submission(submission_token)
        if repeated is not None:
            return repeated
        casus = engine.open_case_for_report()
        submitted = create_report(casus, data, submission_token=submission_token, recorded_by=None)
        notifications.report_arrived(casus)
    return submitted


@transaction.atomic
def submit_as_partner(data: ReportData, *, actor, submission_token: uuid.UUID | None) -> Submitted:
    """A report a partner's professional files in the partner portal: a new case, as a
    public report, recorded as theirs so that they follow it in the portal. Refused
    like a public report when it breaks the intake rules."""
    require(actor, Action.REPORT_AS_PARTNER)
    intake.check_report(data)
    repeated = earlier_submission(submission_token)
    if repeated is not None:
        return repeated
    casus = engine.open_case_for_report()
    submitted = create_report(casus, data, submission_token=submission_token, recorded_by=actor)
    notifications.report_arrived(casus, by=actor)
    return submitted


def partner_report_data(
    *,
    user,
    partner,
    form_code: str,
    concern: str,
    signals: list[str],
    risk_answers: dict[str, str],
    persons: list[PersonData],
) -> ReportData:
    """A report by a partner's professional, with what is known of them already: who
    reports, for which organisation, and that they follow the report in the portal."""
    return ReportData(
        form_code=form_code,
        channel=PARTNER_CHANNEL,
        reporter_type=ReporterType.PROFESSIONAL,
        concern=concern,
        reporter_organisation=partner.name,
        reporter_name=str(user),
        feedback_preference=FeedbackPreference.FOLLOW_PAGE,
        signals=signals,
        risk_answers=risk_answers,
        persons=persons,
    )


@transaction.atomic
def record_intake(data: ReportData, *, actor, link_to: Casus | None = None) -> Submitted:
    """A report taken by staff (phone, e-mail, in person, a partner): a new case, or
    linked to an existing one so that one person does not become five cases. Refused
    like a public report (intake.IntakeRefused) when it breaks the intake rules: the
    same form's signals and questions, so that it counts in the statistics alike."""
    require(actor, Action.OPEN_CASE if link_to is None else Action.ADD_REPORT_TO_CASE, link_to)
    intake.check_report(data)
    casus = engine.open_case(actor=actor) if link_to is None else link_to
    return create_report(casus, data, submission_token=None, recorded_by=actor)


def create_report(casus: Casus, data: ReportData, *, submission_token, recorded_by) -> Submitted:
    code, secret = new_follow_code(), new_secret()
    report = Report.objects.create(
        casus=casus,
        form_code=data.form_code,
        channel=data.channel,
        reporter_type=data.reporter_type,
        reporter_organisation=data.reporter_organisation,
        anonymous=data.anonymous,
        reporter_name="" if data.anonymous else data.reporter_name,
        reporter_email=data.reporter_email,
        reporter_phone=data.reporter_phone,
        feedback_preference=data.feedback_preference,
        concern=data.concern,
        signals=data.signals,
        risk_answers=data.risk_answers,
        submission_token=submission_token,
        follow_code=code,
        follow_secret_hash=secret_digest(secret),
        recorded_by=recorded_by,
    )
    persons = [
        InvolvedPerson.objects.create(report=report, **vars(person)) for person in data.persons
    ]
    matching.register_persons(persons)
    record(
        AuditAction.CREATE,
        user=recorded_by,
        target=report,
        case_id=casus.reference,
        on_behalf_of="" if recorded_by else "melder",
    )
    if data.reporter_email:
        context = {
            "code": code,
            "secret": secret,
            "organisation": connection.tenant.name,
            "follow_page": follow_page_url(),
        }
        queue_templated_email(data.reporter_email, "workflow/email/report_received", context)
    return Submitted(report=report, code=code, secret=secret)


def secret_digest(secret: str) -> str:
    # Under the platform's key, not the region's: a random secret links nobody, and
    # digests stored before keys were derived per region keep working.
    return platform_digest(secret.strip().upper(), purpose=b"follow-secret:")


def report_for_code(code: str, secret: str) -> Report | None:
    """The report behind a code and secret, or None."""
    report = Report.objects.filter(follow_code=code.strip().upper()).select_related("casus").first()
    if report is None:
        return None
    return report if hmac.compare_digest(secret_digest(secret), report.follow_secret_hash) else None


PLAIN_STATUS = {
    StepKind.INTAKE: gettext_lazy("Uw melding is ontvangen en wordt opgenomen."),
    StepKind.SCREENING: gettext_lazy("Het screeningsteam bekijkt uw melding."),
    StepKind.TERUGKOPPELING: gettext_lazy("Het meldpunt bereidt een terugkoppeling aan u voor."),
    StepKind.AFSLUITING: gettext_lazy("Het meldpunt rondt de melding af."),
    StepKind.EVALUATIE: gettext_lazy("De melding is afgerond."),
}


def plain_status(casus: Casus) -> str:
    if casus.completed_at or casus.closed_at:
        return str(_("De melding is afgerond."))
    return str(PLAIN_STATUS.get(casus.current_step.kind, _("Het meldpunt werkt aan uw melding.")))


def follow_up_view(report: Report) -> dict:
    """What the reporter may see: the status, feedback and the messages, nothing else."""
    return {
        "code": report.follow_code,
        "submitted_at": report.submitted_at,
        "status": plain_status(report.casus),
        "feedback": list(Feedback.objects.filter(report=report)),
        "conversation": list(ReporterMessage.objects.filter(report=report)),
    }


@transaction.atomic
def reply_from_reporter(report: Report, text: str, *, actor=None) -> ReporterMessage:
    """A reporter's message: through the follow-up page (no account), or from a
    partner's professional following their own report in the portal."""
    message = ReporterMessage.objects.create(
        casus=report.casus, report=report, direction=ReporterMessage.Direction.REPLY, text=text
    )
    record(
        AuditAction.CREATE,
        user=actor,
        target=message,
        case_id=report.casus.reference,
        on_behalf_of="" if actor else "melder",
    )
    notifications.reporter_wrote(report.casus)
    return message
