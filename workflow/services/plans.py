"""The plan of approach: goals and actions with an owner, a chain (zorg or justitie),
a due date, a status and an outcome. Writing a plan again makes a new version with a
reason; earlier versions stay as they were. The case coordinator (or the meldpunt)
carries the actions out on the current version."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record, text_change
from configuratie.models import Chain, Participation, Partner, PartnerKind
from workflow.models import Casus, PlanAction, PlanOfApproach
from workflow.services.records import recorded


@dataclass
class ActionData:
    description: str
    chain: str = ""
    owner_partner: Partner | None = None
    owner_user: User | None = None
    owner_name: str = ""
    due_on: date | None = None
    status: str = PlanAction.Status.OPEN
    outcome: str = ""


def current_plan(casus: Casus) -> PlanOfApproach | None:
    return PlanOfApproach.objects.filter(casus=casus).order_by("-version").first()


def partners_for_actions() -> QuerySet[Partner]:
    return Partner.objects.filter(participates_in__contains=[Participation.PLAN_ACTIONS])


def checked_action(data: ActionData) -> ActionData:
    if not data.description.strip():
        raise ValidationError(_("Beschrijf elke actie."))
    owners = [data.owner_partner, data.owner_user, data.owner_name.strip()]
    if sum(bool(owner) for owner in owners) != 1:
        raise ValidationError(
            _("Geef elke actie één eigenaar: een partner, een medewerker of een persoon.")
        )
    if data.status not in PlanAction.Status.values:
        raise ValidationError(_("Kies een status voor elke actie."))
    chain = data.chain or (
        PartnerKind(data.owner_partner.kind).chain if data.owner_partner else Chain.ZORG
    )
    if chain not in Chain.values:
        raise ValidationError(_("Kies de keten van elke actie: zorg of justitie."))
    data.chain = chain
    return data


@transaction.atomic
def write_plan(
    casus: Casus,
    *,
    actor: User,
    goals: str,
    actions: list[ActionData],
    revision_reason: str = "",
) -> PlanOfApproach:
    """The first plan, or a revision as a new version (the earlier stays readable)."""
    require(actor, Action.WRITE_PLAN, casus)
    Casus.objects.select_for_update().get(pk=casus.pk)  # one writer of versions at a time
    earlier = current_plan(casus)
    if not goals.strip():
        raise ValidationError(_("Schrijf de doelen van het plan."))
    if not actions:
        raise ValidationError(_("Een plan van aanpak heeft minstens één actie."))
    if earlier is not None and not revision_reason.strip():
        raise ValidationError(_("Geef de reden van de herziening."))
    checked = [checked_action(action) for action in actions]
    plan = PlanOfApproach.objects.create(
        casus=casus,
        recorded_by=actor,
        version=earlier.version + 1 if earlier else 1,
        goals=goals.strip(),
        revision_reason=revision_reason.strip() if earlier else "",
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            position=position,
            description=action.description.strip(),
            chain=action.chain,
            owner_partner=action.owner_partner,
            owner_user=action.owner_user,
            owner_name=action.owner_name.strip(),
            due_on=action.due_on,
            status=action.status,
            outcome=action.outcome.strip(),
        )
        for position, action in enumerate(checked)
    )
    return recorded(plan, casus, actor)


@transaction.atomic
def update_action(action: PlanAction, *, actor: User, status: str, outcome: str) -> PlanAction:
    """Carrying out the plan: an action's status and outcome, on the current version only."""
    action = PlanAction.objects.select_for_update().select_related("plan__casus").get(pk=action.pk)
    casus = action.plan.casus
    require(actor, Action.UPDATE_PLAN_ACTION, casus)
    if action.plan != current_plan(casus):
        raise ValidationError(_("Dit is een eerdere versie van het plan; werk de huidige bij."))
    if status not in PlanAction.Status.values:
        raise ValidationError(_("Kies een status."))
    if status in PlanAction.FINISHED and not outcome.strip():
        raise ValidationError(_("Beschrijf het resultaat van een afgeronde actie."))
    changes = {}
    if action.status != status:
        changes["status"] = (action.status, status)
        action.status = status
    if action.outcome != outcome.strip():
        changes["outcome"] = text_change(action.outcome, outcome.strip())
        action.outcome = outcome.strip()
    if changes:
        action.save(update_fields=list(changes))
        record(
            AuditAction.CHANGE, user=actor, target=action, case_id=casus.reference, changes=changes
        )
    return action
