"""Recording what the work process asks for on a case: screening notes and outcome,
questions and feedback to reporters, information requests, risk assessment, plan,
casusoverleg, referral and evaluation. Each call asks the policy for its own action
and writes an audit line. What changes the case itself goes through the engine."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    Participation,
    Partner,
    RiskLevel,
    RiskQuestion,
)
from workflow.models import (
    CaseConference,
    Casus,
    Evaluation,
    EvaluationRating,
    Feedback,
    FeedbackPreference,
    InformationRequest,
    PlanOfApproach,
    Referral,
    Report,
    ReporterMessage,
    RiskAssessment,
    ScreeningNote,
    ScreeningOutcome,
)
from workflow.services.outbox import queue_templated_email


def recorded(
    obj: models.Model, casus: Casus, actor: User, action: AuditAction = AuditAction.CREATE
):
    record(action, user=actor, target=obj, case_id=casus.reference)
    return obj


def usable_partner(partner: Partner, participation: str) -> None:
    if participation not in partner.participates_in:
        raise ValidationError(
            _("%(partner)s neemt niet deel aan deze vorm van samenwerking.") % {"partner": partner}
        )
    if not partner.has_current_covenant():
        raise ValidationError(
            _("%(partner)s heeft geen geldend convenant en mag geen casusinformatie ontvangen.")
            % {"partner": partner}
        )


@transaction.atomic
def record_screening_outcome(
    casus: Casus, *, actor: User, outcome: str, advice: str = ""
) -> ScreeningOutcome:
    require(actor, Action.RECORD_SCREENING, casus)
    if outcome not in ScreeningOutcome.Outcome.values:
        raise ValidationError(_("Kies een uitkomst van de screening."))
    return recorded(
        ScreeningOutcome.objects.create(
            casus=casus, recorded_by=actor, outcome=outcome, advice=advice
        ),
        casus,
        actor,
    )


@transaction.atomic
def record_screening_note(casus: Casus, *, actor: User, kind: str, text: str) -> ScreeningNote:
    require(actor, Action.RECORD_SCREENING, casus)
    if kind not in ScreeningNote.Kind.values or not text.strip():
        raise ValidationError(_("Kies een soort en schrijf de notitie."))
    created = ScreeningNote.objects.create(
        casus=casus, recorded_by=actor, kind=kind, text=text.strip()
    )
    return recorded(created, casus, actor)


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
        queue_templated_email(report.reporter_email, template, {"code": report.follow_code})


@transaction.atomic
def request_information(
    casus: Casus, *, actor: User, partner: Partner, question: str
) -> InformationRequest:
    require(actor, Action.REQUEST_INFORMATION, casus)
    usable_partner(partner, Participation.INFORMATION_ROUND)
    created = InformationRequest.objects.create(
        casus=casus, recorded_by=actor, partner=partner, question=question
    )
    return recorded(created, casus, actor)


@transaction.atomic
def close_information_request(
    request: InformationRequest, *, actor: User, answer: str = ""
) -> InformationRequest:
    require(actor, Action.ANSWER_INFORMATION_REQUEST, request.casus)
    request.answer = answer
    request.closed_at = timezone.now()
    request.save(update_fields=["answer", "closed_at"])
    return recorded(request, request.casus, actor, AuditAction.CHANGE)


def risk_level_for(score: int) -> str:
    level = RiskLevel.objects.filter(threshold__lte=score).order_by("-threshold").first()
    return level.level if level else ""


@transaction.atomic
def record_risk_assessment(
    casus: Casus, *, actor: User, answers: dict[str, bool]
) -> RiskAssessment:
    require(actor, Action.RECORD_RISK_ASSESSMENT, casus)
    questions = {question.code: question for question in RiskQuestion.objects.all()}
    unknown = set(answers) - set(questions)
    if unknown:
        raise ValidationError(
            _("Onbekende vraag in de risicotaxatie: %(codes)s.")
            % {"codes": ", ".join(sorted(unknown))}
        )
    score = sum(questions[code].weight for code, yes in answers.items() if yes)
    assessment = RiskAssessment.objects.create(
        casus=casus, recorded_by=actor, answers=answers, score=score, level=risk_level_for(score)
    )
    return recorded(assessment, casus, actor)


@transaction.atomic
def record_plan(casus: Casus, *, actor: User, summary: str) -> PlanOfApproach:
    require(actor, Action.WRITE_PLAN, casus)
    return recorded(
        PlanOfApproach.objects.create(casus=casus, recorded_by=actor, summary=summary), casus, actor
    )


@transaction.atomic
def record_case_conference(
    casus: Casus, *, actor: User, held_on: date, notes: str = ""
) -> CaseConference:
    require(actor, Action.RECORD_CASE_CONFERENCE, casus)
    created = CaseConference.objects.create(
        casus=casus, recorded_by=actor, held_on=held_on, notes=notes
    )
    return recorded(created, casus, actor)


@transaction.atomic
def record_referral(casus: Casus, *, actor: User, partner: Partner, notes: str = "") -> Referral:
    require(actor, Action.RECORD_REFERRAL, casus)
    usable_partner(partner, Participation.REFERRAL)
    return recorded(
        Referral.objects.create(casus=casus, recorded_by=actor, partner=partner, notes=notes),
        casus,
        actor,
    )


@transaction.atomic
def record_evaluation(
    casus: Casus,
    *,
    actor: User,
    answers: dict[str, str],
    ratings: dict[str, str] | None = None,
) -> Evaluation:
    """The written answers per evaluation question, and for each the short answer
    (ja, deels, nee, onbekend) that the statistics count."""
    require(actor, Action.RECORD_EVALUATION, casus)
    ratings = ratings or {}
    questions = set(
        CatalogueEntry.objects.filter(catalogue=CatalogueKind.EVALUATION_QUESTION).values_list(
            "code", flat=True
        )
    )
    if set(ratings) - questions or set(ratings.values()) - set(EvaluationRating.values):
        raise ValidationError(_("Kies bij elke evaluatievraag ja, deels, nee of onbekend."))
    evaluation = Evaluation.objects.create(
        casus=casus, recorded_by=actor, answers=answers, ratings=ratings
    )
    return recorded(evaluation, casus, actor)
