"""The risk assessment (risicotaxatie) with the region's instrument: every question
answered ja, nee or onbekend; each 'ja' counts with its weight; the score's level is
the highest level whose threshold it reaches. The team may decide on another level,
with a reason. The answers a reporter gave on a risicotaxatieformulier prefill it."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from configuratie.models import RiskLevel, RiskQuestion
from workflow.models import AgendaItem, Casus, Report, RiskAssessment
from workflow.services.records import recorded

ANSWERS = ("ja", "nee", "onbekend")


@dataclass(frozen=True)
class Instrument:
    questions: list[RiskQuestion]
    levels: list[RiskLevel]  # by threshold, lowest first

    @classmethod
    def current(cls) -> "Instrument":
        return cls(list(RiskQuestion.objects.all()), list(RiskLevel.objects.order_by("threshold")))

    def score(self, answers: dict[str, str]) -> int:
        return sum(q.weight for q in self.questions if answers.get(q.code) == "ja")

    def level(self, score: int) -> str:
        reached = [level.level for level in self.levels if level.threshold <= score]
        return reached[-1] if reached else ""


def prefill(casus: Casus) -> dict[str, str]:
    """The latest answers a reporter gave on a risicotaxatieformulier of this case."""
    # The answers are encrypted: they cannot be filtered on, only read.
    for report in Report.objects.filter(casus=casus).order_by("-submitted_at"):
        if report.risk_answers:
            return dict(report.risk_answers)
    return {}


@transaction.atomic
def record_risk_assessment(
    casus: Casus,
    *,
    actor: User,
    answers: dict[str, str],
    level: str = "",
    deviation_reason: str = "",
    agenda_item: AgendaItem | None = None,
) -> RiskAssessment:
    require(actor, Action.RECORD_RISK_ASSESSMENT, casus)
    instrument = Instrument.current()
    codes = {question.code for question in instrument.questions}
    problems = []
    if set(answers) - codes:
        problems.append(
            _("Onbekende vraag in de risicotaxatie: %(codes)s.")
            % {"codes": ", ".join(sorted(set(answers) - codes))}
        )
    if any(answers.get(code) not in ANSWERS for code in codes):
        problems.append(_("Beantwoord elke vraag met ja, nee of onbekend."))
    score = instrument.score(answers)
    computed = instrument.level(score)
    level = level or computed
    if level not in {known.level for known in instrument.levels}:
        problems.append(_("Kies een niveau van het instrument van de regio."))
    if level != computed and not deviation_reason.strip():
        problems.append(
            _("Het team kiest een ander niveau dan het berekende (%(level)s): geef de reden.")
            % {"level": computed}
        )
    if problems:
        raise ValidationError(problems)
    assessment = RiskAssessment.objects.create(
        casus=casus,
        recorded_by=actor,
        answers=answers,
        score=score,
        computed_level=computed,
        level=level,
        deviation_reason=deviation_reason.strip() if level != computed else "",
        agenda_item=agenda_item,
    )
    return recorded(assessment, casus, actor)
