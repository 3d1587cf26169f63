"""Whether a condition of `configuratie.conditions` holds for a case.

Each guard says what it counts: records from the whole case, or only the work of
the current visit to the step. A step visited for the first time counts everything
recorded so far (work done early is not asked for twice); a step the case returns
to through a loop counts only what was recorded since it last left that step.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, Max, Min, OuterRef

from configuratie.conditions import CONDITIONS
from workflow import models


class Scope(StrEnum):
    CASE = "casus"
    VISIT = "bezoek aan de stap"


@dataclass(frozen=True)
class Guard:
    code: str
    scope: Scope
    holds: Callable[[models.Casus, datetime | None], bool]  # since: None means the whole case
    # The kind of record (a name of workflow.selectors.CASE_RECORDS) without which the
    # condition cannot hold: for a case known to have none, no query is needed.
    needs: str = ""


def recorded(model: type) -> Callable[[models.Casus, datetime | None], bool]:
    def holds(casus: models.Casus, since: datetime | None) -> bool:
        records = model.objects.filter(casus=casus)
        if since is not None:
            records = records.filter(recorded_at__gte=since)
        return records.exists()

    return holds


def information_round_completed(casus: models.Casus, since: datetime | None) -> bool:
    requests = models.InformationRequest.objects.filter(casus=casus)
    return requests.exists() and not requests.filter(closed_at__isnull=True).exists()


def case_conference_held(casus: models.Casus, since: datetime | None) -> bool:
    discussed = models.AgendaItem.objects.filter(
        casus=casus,
        meeting__kind=models.Meeting.Kind.CASE_CONFERENCE,
        discussed_at__isnull=False,
    )
    return (discussed.filter(discussed_at__gte=since) if since else discussed).exists()


def current_plan(casus: models.Casus) -> models.PlanOfApproach | None:
    return models.PlanOfApproach.objects.filter(casus=casus).order_by("-version").first()


def plan_with_actions(casus: models.Casus, since: datetime | None) -> bool:
    plan = current_plan(casus)
    return plan is not None and plan.actions.exists()


def plan_actions_finished(casus: models.Casus, since: datetime | None) -> bool:
    plan = current_plan(casus)
    return (
        plan is not None
        and not plan.actions.exclude(status__in=models.PlanAction.FINISHED).exists()
    )


def referral_accepted(casus: models.Casus, since: datetime | None) -> bool:
    return models.Referral.objects.filter(
        casus=casus, status=models.Referral.Status.ACCEPTED
    ).exists()


def coordinator_appointed(casus: models.Casus, since: datetime | None) -> bool:
    return (
        casus.coordinator_id is not None
        or models.ExternalCoordinator.objects.filter(casus=casus).exists()
    )


def every_reporter_heard(casus: models.Casus, since: datetime | None) -> bool:
    """Every report of the case has feedback: a second reporter is not forgotten."""
    return every_reporter_heard_after(casus, None)


def every_reporter_heard_of_the_outcome(casus: models.Casus, since: datetime | None) -> bool:
    """Every report has feedback about what was done: given once the case had a plan of
    approach, if it has one (feedback after the screening alone told only that the
    report was taken up); a case closed without a plan was decided at the screening."""
    planned = models.PlanOfApproach.objects.filter(casus=casus).aggregate(at=Min("recorded_at"))
    return every_reporter_heard_after(casus, planned["at"])


def every_reporter_heard_after(casus: models.Casus, after: datetime | None) -> bool:
    reports = models.Report.objects.filter(casus=casus)
    feedback = models.Feedback.objects.filter(report=OuterRef("pk"))
    if after is not None:
        feedback = feedback.filter(recorded_at__gte=after)
    return reports.exists() and not reports.exclude(Exists(feedback)).exists()


GUARDS: dict[str, Guard] = {
    guard.code: guard
    for guard in (
        Guard("screening_uitkomst", Scope.VISIT, recorded(models.ScreeningOutcome), "outcomes"),
        Guard("terugkoppeling_gegeven", Scope.CASE, every_reporter_heard, "feedback"),
        Guard(
            "terugkoppeling_over_uitkomst",
            Scope.CASE,
            every_reporter_heard_of_the_outcome,
            "feedback",
        ),
        Guard(
            "informatieronde_afgerond",
            Scope.CASE,
            information_round_completed,
            "information_requests",
        ),
        Guard(
            "risicotaxatie_vastgelegd",
            Scope.VISIT,
            recorded(models.RiskAssessment),
            "risk_assessments",
        ),
        Guard("plan_van_aanpak_vastgelegd", Scope.CASE, plan_with_actions, "plans"),
        Guard("plan_acties_afgerond", Scope.CASE, plan_actions_finished, "plans"),
        Guard("casuscoordinator_aangewezen", Scope.CASE, coordinator_appointed),
        Guard("casusoverleg_gehouden", Scope.VISIT, case_conference_held, "agenda_items"),
        Guard("doorverwijzing_vastgelegd", Scope.CASE, recorded(models.Referral), "referrals"),
        Guard("doorverwijzing_geaccepteerd", Scope.CASE, referral_accepted, "referrals"),
        Guard(
            "afsluitreden_vastgelegd", Scope.CASE, lambda casus, since: bool(casus.closing_reason)
        ),
        Guard("evaluatie_vastgelegd", Scope.VISIT, recorded(models.Evaluation), "evaluations"),
    )
}
if GUARDS.keys() != CONDITIONS.keys():
    raise ImproperlyConfigured(
        "Every condition of configuratie.conditions needs exactly one guard."
    )


def last_left(casus: models.Casus) -> datetime | None:
    """When the case last left its current step, or None on its first visit."""
    return models.StepTransition.objects.filter(
        casus=casus, from_step=casus.current_step
    ).aggregate(left=Max("at"))["left"]


@dataclass(frozen=True)
class ConditionState:
    code: str
    label: str
    missing: str
    holds: bool


def left_in(casus: models.Casus, transitions: Sequence[models.StepTransition]) -> datetime | None:
    """last_left, from the case's transitions read already (all of them)."""
    return max(
        (step.at for step in transitions if step.from_step_id == casus.current_step_id),
        default=None,
    )


def condition_states(
    casus: models.Casus,
    present: Mapping[str, bool] | None = None,
    transitions: Sequence[models.StepTransition] | None = None,
) -> list[ConditionState]:
    """The current step's conditions, each with whether it holds now. `present`, when
    given, says which kinds of record the case has (workflow.selectors.kinds_present): a
    condition needing a kind the case lacks does not hold, and is not asked of the
    database. `transitions`, when given, are all the case's transitions (the case file
    read them): when the case last left its step is taken from them, not asked again."""

    def lacks(kind: str) -> bool:
        return present is not None and bool(kind) and not present[kind]

    guards = [GUARDS[code] for code in casus.current_step.guards]
    visits = any(guard.scope == Scope.VISIT for guard in guards)
    if not visits or lacks("transitions"):
        since = None
    elif transitions is not None:
        since = left_in(casus, transitions)
    else:
        since = last_left(casus)
    return [
        ConditionState(
            code=guard.code,
            label=str(CONDITIONS[guard.code].label),
            missing=str(CONDITIONS[guard.code].missing),
            holds=not lacks(guard.needs)
            and guard.holds(casus, since if guard.scope == Scope.VISIT else None),
        )
        for guard in guards
    ]


def missing_guards(casus: models.Casus) -> list[str]:
    """The Dutch reasons why the case may not leave its current step yet."""
    return [state.missing for state in condition_states(casus) if not state.holds]
