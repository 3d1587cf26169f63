"""Recording what the work process asks for on a case: screening outcome, feedback,
information requests, risk assessment, plan, coordinator, casusoverleg, referral,
closing reason and evaluation. Each call checks access and writes an audit line."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, Role, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    Participation,
    Partner,
    Priority,
    RiskLevel,
    RiskQuestion,
)
from workflow.models import (
    CaseConference,
    Casus,
    Evaluation,
    Feedback,
    FeedbackPreference,
    InformationRequest,
    PlanOfApproach,
    Referral,
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
    require(actor, Action.RECORD_ON_CASE, casus)
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
def record_feedback(casus: Casus, *, actor: User, text: str) -> Feedback:
    require(actor, Action.RECORD_ON_CASE, casus)
    if not text.strip():
        raise ValidationError(_("Schrijf de terugkoppeling aan de melder."))
    feedback = Feedback.objects.create(casus=casus, recorded_by=actor, text=text.strip())
    notify_reporters(casus, "workflow/email/new_feedback")
    return recorded(feedback, casus, actor)


@transaction.atomic
def request_information(
    casus: Casus, *, actor: User, partner: Partner, question: str
) -> InformationRequest:
    require(actor, Action.RECORD_ON_CASE, casus)
    usable_partner(partner, Participation.INFORMATION_ROUND)
    created = InformationRequest.objects.create(
        casus=casus, recorded_by=actor, partner=partner, question=question
    )
    return recorded(created, casus, actor)


@transaction.atomic
def close_information_request(
    request: InformationRequest, *, actor: User, answer: str = ""
) -> InformationRequest:
    require(actor, Action.RECORD_ON_CASE, request.casus)
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
    require(actor, Action.RECORD_ON_CASE, casus)
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
    require(actor, Action.RECORD_ON_CASE, casus)
    return recorded(
        PlanOfApproach.objects.create(casus=casus, recorded_by=actor, summary=summary), casus, actor
    )


@transaction.atomic
def appoint_coordinator(casus: Casus, *, actor: User, coordinator: User) -> Casus:
    require(actor, Action.MOVE_CASE, casus)
    if (
        not coordinator.is_active
        or not {Role.CASUSCOORDINATOR, Role.MEDEWERKER} & coordinator.role_codes()
    ):
        raise ValidationError(
            _("Kies een actieve gebruiker met de rol casuscoördinator of medewerker.")
        )
    casus.coordinator = coordinator
    casus.save(update_fields=["coordinator"])
    return recorded(casus, casus, actor, AuditAction.CHANGE)


@transaction.atomic
def record_case_conference(
    casus: Casus, *, actor: User, held_on: date, notes: str = ""
) -> CaseConference:
    require(actor, Action.RECORD_ON_CASE, casus)
    created = CaseConference.objects.create(
        casus=casus, recorded_by=actor, held_on=held_on, notes=notes
    )
    return recorded(created, casus, actor)


@transaction.atomic
def record_referral(casus: Casus, *, actor: User, partner: Partner, notes: str = "") -> Referral:
    require(actor, Action.RECORD_ON_CASE, casus)
    usable_partner(partner, Participation.REFERRAL)
    return recorded(
        Referral.objects.create(casus=casus, recorded_by=actor, partner=partner, notes=notes),
        casus,
        actor,
    )


@transaction.atomic
def set_closing_reason(casus: Casus, *, actor: User, code: str) -> Casus:
    require(actor, Action.RECORD_ON_CASE, casus)
    if not CatalogueEntry.objects.filter(
        catalogue=CatalogueKind.CLOSING_REASON, code=code, is_active=True
    ).exists():
        raise ValidationError(_("Kies een afsluitreden uit de lijst van de regio."))
    casus.closing_reason = code
    casus.save(update_fields=["closing_reason"])
    return recorded(casus, casus, actor, AuditAction.CHANGE)


@transaction.atomic
def record_evaluation(casus: Casus, *, actor: User, answers: dict[str, str]) -> Evaluation:
    require(actor, Action.RECORD_ON_CASE, casus)
    return recorded(
        Evaluation.objects.create(casus=casus, recorded_by=actor, answers=answers), casus, actor
    )


@transaction.atomic
def record_screening_note(casus: Casus, *, actor: User, kind: str, text: str) -> ScreeningNote:
    require(actor, Action.RECORD_ON_CASE, casus)
    if kind not in ScreeningNote.Kind.values or not text.strip():
        raise ValidationError(_("Kies een soort en schrijf de notitie."))
    created = ScreeningNote.objects.create(
        casus=casus, recorded_by=actor, kind=kind, text=text.strip()
    )
    return recorded(created, casus, actor)


@transaction.atomic
def ask_reporter(casus: Casus, *, actor: User, question: str) -> ReporterMessage:
    """A question on the follow-up page; a reporter who asked for e-mail hears that there is one."""
    require(actor, Action.RECORD_ON_CASE, casus)
    if not question.strip():
        raise ValidationError(_("Schrijf de vraag aan de melder."))
    message = ReporterMessage.objects.create(
        casus=casus,
        direction=ReporterMessage.Direction.QUESTION,
        text=question.strip(),
        sent_by=actor,
    )
    notify_reporters(casus, "workflow/email/new_question")
    return recorded(message, casus, actor)


def notify_reporters(casus: Casus, template: str) -> None:
    """Tell reporters who chose e-mail that something waits on the follow-up page; the
    e-mail itself carries nothing of the case."""
    for report in casus.reports.filter(feedback_preference=FeedbackPreference.EMAIL):
        if report.reporter_email:
            queue_templated_email(report.reporter_email, template, {"code": report.follow_code})


@transaction.atomic
def set_case_details(
    casus: Casus, *, actor: User, case_type: str, priority: Priority | None
) -> Casus:
    require(actor, Action.RECORD_ON_CASE, casus)
    types = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CASE_TYPE, is_active=True)
    if case_type and not types.filter(code=case_type).exists():
        raise ValidationError(_("Kies een casustype uit de lijst van de regio."))
    casus.case_type = case_type
    casus.priority = priority
    casus.save(update_fields=["case_type", "priority"])
    return recorded(casus, casus, actor, AuditAction.CHANGE)
