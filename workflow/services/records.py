"""Recording the smaller things the work process asks for on a case: the screening
outcome, the journal and the evaluation. Each call asks the policy for its
own action and writes an audit line; what changes the case itself goes through the
engine. The information round, referrals, consent, the risk assessment, plans, meetings,
documents and the reporters' conversation have modules of their own beside this one."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import CatalogueEntry, CatalogueKind, CovenantStatus, Partner
from workflow.models import (
    Casus,
    Evaluation,
    EvaluationRating,
    JournalEntry,
    ScreeningOutcome,
)


def recorded(
    obj: models.Model, casus: Casus, actor: User, action: AuditAction = AuditAction.CREATE
):
    record(action, user=actor, target=obj, case_id=casus.reference)
    return obj


def partners_taking_part(participation: str, on: date | None = None) -> QuerySet[Partner]:
    """Partners whose covenant is in force and who take part in this form of work
    (the information round, referrals)."""
    today = on or timezone.localdate()
    return Partner.objects.filter(
        Q(covenant_ends_on__isnull=True) | Q(covenant_ends_on__gte=today),
        covenant_status=CovenantStatus.SIGNED,
        covenant_signed_on__lte=today,
        participates_in__contains=[participation],
    )


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
            casus=casus, recorded_by=actor, outcome=outcome, advice=advice.strip()
        ),
        casus,
        actor,
    )


@transaction.atomic
def write_journal(casus: Casus, *, actor: User, kind: str, text: str) -> JournalEntry:
    require(actor, Action.WRITE_JOURNAL, casus)
    if kind not in JournalEntry.Kind.values or not text.strip():
        raise ValidationError(_("Kies een soort en schrijf de notitie."))
    created = JournalEntry.objects.create(
        casus=casus, recorded_by=actor, kind=kind, text=text.strip()
    )
    return recorded(created, casus, actor)


@transaction.atomic
def evaluation_questions() -> list[CatalogueEntry]:
    return list(
        CatalogueEntry.objects.filter(catalogue=CatalogueKind.EVALUATION_QUESTION, is_active=True)
    )


@transaction.atomic
def record_evaluation(
    casus: Casus,
    *,
    actor: User,
    answers: dict[str, str],
    ratings: dict[str, str],
) -> Evaluation:
    """The evaluation with the region's questions (among them, in both presets, whether
    there is a view on reoffending): per question a short answer (ja, deels, nee,
    onbekend) that the statistics count, and optionally a written one."""
    require(actor, Action.RECORD_EVALUATION, casus)
    known = {question.code for question in evaluation_questions()}
    if set(answers) - known or set(ratings) - known:
        raise ValidationError(_("Beantwoord alleen de evaluatievragen van de regio."))
    if set(ratings) != known or set(ratings.values()) - set(EvaluationRating.values):
        raise ValidationError(_("Kies bij elke evaluatievraag ja, deels, nee of onbekend."))
    evaluation = Evaluation.objects.create(
        casus=casus,
        recorded_by=actor,
        answers={code: text.strip() for code, text in answers.items() if text.strip()},
        ratings=ratings,
    )
    return recorded(evaluation, casus, actor)
