"""The workflow engine: the one place that opens cases and changes their step.

Every move checks the user's role through the policy, evaluates the guards of the
step being left, records the transition and an audit line, and sets the new
deadline. A case follows the version of the work process it started on.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import Action, may
from audit.models import AuditAction
from audit.services import record
from configuratie.models import (
    DefinitionStatus,
    Priority,
    StepKind,
    WorkflowDefinition,
    WorkflowStep,
)
from workflow.guards import missing_guards
from workflow.models import Casus, StepTransition


class TransitionRefused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def deadline_for(step: WorkflowStep, priority: Priority | None, start) -> timezone.datetime | None:
    days = step.deadline_days_for(priority.code if priority else None)
    return start + timedelta(days=days) if days is not None else None


def open_case(
    *, actor, priority: Priority | None = None, case_type: str = "", request=None
) -> Casus:
    if not may(actor, Action.OPEN_CASE):
        raise TransitionRefused([_("U heeft niet de rol om een casus te openen.")])
    return start_case(actor=actor, priority=priority, case_type=case_type, request=request)


def open_case_for_report(*, request=None) -> Casus:
    """A report through the public form opens a case; the reporter has no account."""
    return start_case(actor=None, request=request, on_behalf_of="melder (meldformulier)")


@transaction.atomic
def start_case(
    *,
    actor,
    priority: Priority | None = None,
    case_type: str = "",
    request=None,
    on_behalf_of: str = "",
) -> Casus:
    definition = WorkflowDefinition.objects.get(status=DefinitionStatus.ACTIVE)
    start = definition.steps.get(is_start=True)
    now = timezone.now()
    casus = Casus.objects.create(
        definition=definition,
        current_step=start,
        priority=priority,
        case_type=case_type,
        opened_at=now,
        step_entered_at=now,
        deadline_at=deadline_for(start, priority, now),
    )
    casus.reference = f"{timezone.localtime(now):%Y}-{casus.pk:05d}"
    casus.save(update_fields=["reference"])
    StepTransition.objects.create(casus=casus, from_step=None, to_step=start, by=actor, at=now)
    record(
        AuditAction.CREATE,
        request=request,
        user=actor,
        target=casus,
        case_id=casus.reference,
        on_behalf_of=on_behalf_of,
    )
    return casus


def refusal_reasons(casus: Casus, to_step: WorkflowStep | None, actor) -> list[str]:
    reasons = []
    if not may(actor, Action.MOVE_CASE, casus):
        reasons.append(
            _(
                "Alleen de rol die verantwoordelijk is voor stap '%(step)s', of de procesregisseur, kan de casus verder zetten."
            )
            % {"step": casus.current_step.name}
        )
    if to_step is None:
        reasons.append(
            _("Die stap volgt niet op '%(step)s' in versie %(version)d van het werkproces.")
            % {"step": casus.current_step.name, "version": casus.definition.version}
        )
    return reasons + missing_guards(casus)


@transaction.atomic
def move(casus: Casus, to_code: str, *, actor, reason: str = "", request=None) -> StepTransition:
    casus = (
        Casus.objects.select_for_update(of=("self",))
        .select_related("current_step", "definition", "priority")
        .get(pk=casus.pk)
    )
    to_step = casus.current_step.next_steps.filter(code=to_code).first()
    reasons = refusal_reasons(casus, to_step, actor)
    if reasons:
        raise TransitionRefused(reasons)
    now = timezone.now()
    from_step = casus.current_step
    casus.current_step = to_step
    casus.step_entered_at = now
    casus.deadline_at = deadline_for(to_step, casus.priority, now)
    if from_step.kind == StepKind.AFSLUITING and casus.closed_at is None:
        casus.closed_at = now
    casus.save(update_fields=["current_step", "step_entered_at", "deadline_at", "closed_at"])
    transition = StepTransition.objects.create(
        casus=casus, from_step=from_step, to_step=to_step, by=actor, at=now, reason=reason
    )
    record(
        AuditAction.CHANGE,
        request=request,
        user=actor,
        target=casus,
        case_id=casus.reference,
        detail={"van": from_step.code, "naar": to_step.code},
    )
    return transition


@transaction.atomic
def complete(casus: Casus, *, actor, request=None) -> Casus:
    """Finish a case at the end of its work process, once that step's guards hold."""
    casus = (
        Casus.objects.select_for_update(of=("self",))
        .select_related("current_step", "definition")
        .get(pk=casus.pk)
    )
    reasons = []
    if not may(actor, Action.MOVE_CASE, casus):
        reasons.append(_("U heeft niet de rol om deze casus af te ronden."))
    if casus.current_step.next_steps.exists():
        reasons.append(_("De casus is nog niet bij de laatste stap van het werkproces."))
    reasons += missing_guards(casus)
    if reasons:
        raise TransitionRefused(reasons)
    casus.completed_at = timezone.now()
    casus.save(update_fields=["completed_at"])
    record(
        AuditAction.CHANGE,
        request=request,
        user=actor,
        target=casus,
        case_id=casus.reference,
        detail={"afgerond": True},
    )
    return casus
