"""The meldpunt's conversation with reporters: questions and feedback on the follow-up
page of the report(s) they are for; a reporter reads only their own."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from accounts.services import link_in_email
from meldpunt.outbox import queue_templated_email
from workflow.models import Casus, Feedback, FeedbackPreference, Report, ReporterMessage
from workflow.services.records import recorded


def reports_of(casus: Casus, reports: Iterable[Report]) -> list[Report]:
    chosen = list(reports)
    if not chosen:
        raise ValidationError(_("Kies voor welke melding(en) dit is."))
    if any(report.casus_id != casus.pk for report in chosen):
        raise ValidationError(_("Kies alleen meldingen van deze casus."))
    return chosen


@transaction.atomic
def record_feedback(
    casus: Casus, *, actor: User, text: str, reports: Iterable[Report]
) -> list[Feedback]:
    """Feedback on the follow-up page of each chosen report; only its own reporter reads it."""
    require(actor, Action.CONTACT_REPORTER, casus)
    if not text.strip():
        raise ValidationError(_("Schrijf de terugkoppeling aan de melder."))
    given = []
    for report in reports_of(casus, reports):
        feedback = Feedback.objects.create(
            casus=casus, report=report, recorded_by=actor, text=text.strip()
        )
        notify_reporter(report, "workflow/email/new_feedback")
        given.append(recorded(feedback, casus, actor))
    return given


@transaction.atomic
def ask_reporter(
    casus: Casus, *, actor: User, question: str, reports: Iterable[Report]
) -> list[ReporterMessage]:
    """A question on the follow-up page of each chosen report; a reporter who asked for
    e-mail hears that there is one."""
    require(actor, Action.CONTACT_REPORTER, casus)
    if not question.strip():
        raise ValidationError(_("Schrijf de vraag aan de melder."))
    asked = []
    for report in reports_of(casus, reports):
        message = ReporterMessage.objects.create(
            casus=casus,
            report=report,
            direction=ReporterMessage.Direction.QUESTION,
            text=question.strip(),
            sent_by=actor,
        )
        notify_reporter(report, "workflow/email/new_question")
        asked.append(recorded(message, casus, actor))
    return asked


def notify_reporter(report: Report, template: str) -> None:
    """Tell a reporter who chose e-mail that something waits on the follow-up page; the
    e-mail itself carries nothing of the case."""
    if report.feedback_preference == FeedbackPreference.EMAIL and report.reporter_email:
        queue_templated_email(
            report.reporter_email,
            template,
            {"code": report.follow_code, "follow_page": follow_page_url()},
        )


def follow_page_url() -> str:
    """The follow-up page, for the reporter's e-mails. The link carries neither the
    report's code nor its secret: a mailbox, a link preview or a proxy log holding the
    link must not open the report."""
    return link_in_email(reverse("public:follow"))
