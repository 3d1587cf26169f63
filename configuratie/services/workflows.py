"""Editing a region's work process: changes go into a draft version, which becomes
active only when it passes validation. Running cases stay on their own version."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import DefinitionStatus, Priority, WorkflowDefinition, WorkflowStep
from configuratie.services.presets import (
    ConfigurationInvalid,
    activate_definition,
    create_definition,
)
from configuratie.services.validation import specs_of, validate_workflow


@dataclass
class StepData:
    code: str
    name: str
    explanation: str
    kind: str
    responsible_role: str
    deadline_days: int | None
    deadline_days_by_priority: dict[str, int]
    guards: list[str]
    is_start: bool


def editable(definition: WorkflowDefinition, actor) -> None:
    require(actor, Action.CONFIGURE_REGION)
    if not definition.is_draft:
        raise ValidationError(
            _("Alleen een concept kan worden gewijzigd; maak eerst een nieuwe versie.")
        )


@transaction.atomic
def draft_for_editing(*, actor) -> WorkflowDefinition:
    """The open draft, or a new one copied from the active version."""
    require(actor, Action.CONFIGURE_REGION)
    draft = WorkflowDefinition.objects.filter(status=DefinitionStatus.DRAFT).first()
    if draft is not None:
        return draft
    active = WorkflowDefinition.objects.get(status=DefinitionStatus.ACTIVE)
    texts = {step.code: step.explanation for step in active.steps.all()}
    draft = create_definition(active.name, specs_of(active), texts)
    record(
        AuditAction.CREATE, user=actor, target=draft, detail={"kopie_van_versie": active.version}
    )
    return draft


def apply_step_data(step: WorkflowStep, data: StepData) -> None:
    for field, value in vars(data).items():
        setattr(step, field, value)


@transaction.atomic
def add_step(
    draft: WorkflowDefinition,
    data: StepData,
    *,
    actor,
    next_steps: list[WorkflowStep],
    insert_after: WorkflowStep | None,
) -> WorkflowStep:
    """Add a step; placed after `insert_after`, it takes over that step's next steps."""
    editable(draft, actor)
    if draft.steps.filter(code=data.code).exists():
        raise ValidationError(_("Er is al een stap met de code '%(code)s'.") % {"code": data.code})
    position = (draft.steps.aggregate(highest=Max("position"))["highest"] or 0) + 1
    if insert_after is not None:
        position = insert_after.position + 1
        draft.steps.filter(position__gte=position).update(position=F("position") + 1)
    step = WorkflowStep(definition=draft, position=position)
    apply_step_data(step, data)
    step.save()
    if insert_after is not None:
        step.next_steps.set(list(insert_after.next_steps.all()) + next_steps)
        insert_after.next_steps.set([step])
    else:
        step.next_steps.set(next_steps)
    record(AuditAction.CHANGE, user=actor, target=draft, detail={"stap_toegevoegd": step.code})
    return step


@transaction.atomic
def update_step(
    step: WorkflowStep, data: StepData, *, actor, next_steps: list[WorkflowStep]
) -> WorkflowStep:
    editable(step.definition, actor)
    if step.definition.steps.filter(code=data.code).exclude(pk=step.pk).exists():
        raise ValidationError(_("Er is al een stap met de code '%(code)s'.") % {"code": data.code})
    apply_step_data(step, data)
    step.save()
    step.next_steps.set(next_steps)
    record(
        AuditAction.CHANGE, user=actor, target=step.definition, detail={"stap_gewijzigd": step.code}
    )
    return step


@transaction.atomic
def delete_step(step: WorkflowStep, *, actor) -> None:
    editable(step.definition, actor)
    record(
        AuditAction.CHANGE,
        user=actor,
        target=step.definition,
        detail={"stap_verwijderd": step.code},
    )
    step.delete()


@transaction.atomic
def activate(draft: WorkflowDefinition, *, actor) -> None:
    editable(draft, actor)
    problems = validate_workflow(
        specs_of(draft), set(Priority.objects.values_list("code", flat=True))
    )
    if problems:
        raise ConfigurationInvalid(problems)
    activate_definition(draft)
    record(AuditAction.CHANGE, user=actor, target=draft, detail={"geactiveerd": draft.version})


@transaction.atomic
def discard_draft(draft: WorkflowDefinition, *, actor) -> None:
    editable(draft, actor)
    record(
        AuditAction.CHANGE, user=actor, target=draft, detail={"concept_verwijderd": draft.version}
    )
    draft.delete()
