"""The workflow engine: the one place that opens cases and changes their state.

Every change of a case (its step, priority, case type, coordinator, closing reason,
completion, reopening) takes the case's row lock, asks the policy, checks the
step's conditions where it moves, writes the change and one audit line with the
old and the new value, and keeps the deadline in step with it. A case follows the
version of the work process it started on.
"""

import functools
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role as RoleRecord
from accounts.models import User
from accounts.policy import Action, Role, may, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    DefinitionStatus,
    Priority,
    StepKind,
    WorkflowDefinition,
    WorkflowStep,
)
from workflow.guards import missing_guards
from workflow.models import Casus, ExternalCoordinator, StepTransition

# The closing reason of a case that went to another region (warme overdracht).
TRANSFERRED = "overgedragen"

# Sent by `write` once it saved a change, with the case and the values it had before
# (`old`, by field): what a save alone does not tell, such as the closing moment a
# reopened case had, for whoever keeps figures by it (statistiek/monthly.py).
case_written = Signal()


class TransitionRefused(ValidationError):
    """A move or a completion the engine refuses, with every Dutch reason why: a kind of
    ValidationError, so every screen that shows a service's refusal shows these too."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(reasons)
        self.reasons = reasons


def deadline_for(step: WorkflowStep, priority: Priority | None, start: datetime) -> datetime | None:
    days = step.deadline_days_for(priority.code if priority else None)
    return start + timedelta(days=days) if days is not None else None


def locked(casus: Casus) -> Casus:
    """The case, re-read under its row lock, with what the policy and the guards read.

    The lock is taken on the case's row alone, and the case is read after it: when the
    lock had to wait for another transaction that changed the case, PostgreSQL re-checks
    the changed row against the joined rows it found before waiting (READ COMMITTED), so
    a lock query that joins the step drops a case that was moved meanwhile. The read
    after the lock sees what the other transaction committed.
    """
    Casus.objects.select_for_update().filter(pk=casus.pk).values_list("pk", flat=True).get()
    return Casus.objects.select_related(
        "current_step", "definition", "priority", "coordinator"
    ).get(pk=casus.pk)


def audit_value(value: Any) -> Any:
    if isinstance(value, Priority):
        return value.code
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def write(casus: Casus, actor: User | None, values: dict[str, Any], **audit: Any) -> Casus:
    """Set `values` on the locked case; one audit line holds each old and new value."""
    changes, before = {}, {}
    for field, new in values.items():
        old = getattr(casus, field)
        if old != new:
            changes[field] = (audit_value(old), audit_value(new))
            before[field] = old
            setattr(casus, field, new)
    if changes:
        casus.save(update_fields=list(changes))
        case_written.send(sender=Casus, casus=casus, old=before)
        record(
            AuditAction.CHANGE,
            user=actor,
            target=casus,
            case_id=casus.reference,
            changes=changes,
            **audit,
        )
    return casus


@transaction.atomic
def open_case(*, actor: User, priority: Priority | None = None, case_type: str = "") -> Casus:
    """A case opened by staff, for a report taken by phone, e-mail or a partner."""
    require(actor, Action.OPEN_CASE)
    return _start_case(actor=actor, priority=priority, case_type=case_type)


@transaction.atomic
def open_case_for_report() -> Casus:
    """The case of a report through the public form: the reporter has no account, and
    every report must be kept, so this door asks no policy."""
    return _start_case(actor=None, on_behalf_of="melder (meldformulier)")


@transaction.atomic
def open_transferred_case(*, actor: User, from_region: str, transfer_id: int) -> Casus:
    """The case a warme overdracht brings in from another region, in this region's first
    step, saying where it came from; its parts are copied onto it afterwards."""
    require(actor, Action.DECIDE_TRANSFER)
    return _start_case(
        actor=actor,
        transferred_from=from_region,
        detail={"overdracht": transfer_id, "uit_regio": from_region},
    )


@transaction.atomic
def close_transferred(casus: Casus, *, to_region: str, transfer_id: int, by: str) -> Casus:
    """Close the case a warme overdracht took to another region, with the closing reason
    "overgedragen". Called by national.transfers alone, in the sending region, once the
    receiving region's procesregisseur accepted (the policy asked both procesregisseurs:
    the sender's on the proposal, the receiver's on the acceptance); `by` names the
    receiver's procesregisseur, who has no account here."""
    casus = locked(casus)
    now = timezone.now()
    return write(
        casus,
        None,
        {
            "closing_reason": TRANSFERRED,
            "transferred_to": to_region,
            "closed_at": casus.closed_at or now,
            "completed_at": casus.completed_at or now,
            "deadline_at": None,
        },
        on_behalf_of=by,
        detail={"overdracht": transfer_id, "naar_regio": to_region},
    )


def _start_case(
    *,
    actor: User | None,
    priority: Priority | None = None,
    case_type: str = "",
    on_behalf_of: str = "",
    transferred_from: str = "",
    detail: dict[str, Any] | None = None,
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
        last_activity_at=now,
        deadline_at=deadline_for(start, priority, now),
        transferred_from=transferred_from,
    )
    casus.reference = f"{timezone.localtime(now):%Y}-{casus.pk:05d}"
    casus.save(update_fields=["reference"])
    StepTransition.objects.create(casus=casus, from_step=None, to_step=start, by=actor, at=now)
    record(
        AuditAction.CREATE,
        user=actor,
        target=casus,
        case_id=casus.reference,
        on_behalf_of=on_behalf_of,
        detail=detail,
    )
    return casus


def who_moves(casus: Casus) -> str:
    """Who can move the case on from its current step, in words: the step's role (or
    its coordinator) and the procesregisseur, who may move every case on."""
    role = casus.current_step.responsible_role
    if role == Role.PROCESREGISSEUR:
        return _("de procesregisseur")
    if role == Role.CASUSCOORDINATOR and casus.coordinator is not None:
        return _("de casuscoördinator %(person)s of de procesregisseur") % {
            "person": casus.coordinator
        }
    record = role_record(connection.schema_name, role)
    return _("de rol %(role)s of de procesregisseur") % {"role": record.name if record else role}


@functools.lru_cache(maxsize=1024)
def role_record(schema: str, code: str) -> RoleRecord | None:
    """A role's record (its name in each language), read once per process and region:
    the rows come from a data migration and no screen changes them, and every case page
    asked for one."""
    return RoleRecord.objects.filter(code=code).first()


def refusal_reasons(casus: Casus, to_step: WorkflowStep | None, actor: User) -> list[str]:
    reasons = []
    if not may(actor, Action.MOVE_CASE, casus):
        reasons.append(
            _("Alleen %(who)s kan de casus verder zetten vanuit stap '%(step)s'.")
            % {"who": who_moves(casus), "step": casus.current_step.name}
        )
    if to_step is None:
        reasons.append(
            _("Die stap volgt niet op '%(step)s' in versie %(version)d van het werkproces.")
            % {"step": casus.current_step.name, "version": casus.definition.version}
        )
    if casus.completed_at is not None:
        reasons.append(_("De casus is afgerond; heropen hem eerst."))
    return reasons + missing_guards(casus)


def enter(
    casus: Casus,
    from_step: WorkflowStep,
    to_step: WorkflowStep,
    actor: User,
    now: datetime,
    reason: str,
) -> StepTransition:
    """The locked case's transition into `to_step`; the stay it ends (the case's one
    transition not yet left) is left at the same moment."""
    StepTransition.objects.filter(casus=casus, left_at__isnull=True).update(left_at=now)
    return StepTransition.objects.create(
        casus=casus, from_step=from_step, to_step=to_step, by=actor, at=now, reason=reason
    )


@transaction.atomic
def move(casus: Casus, to_code: str, *, actor: User, reason: str = "") -> StepTransition:
    casus = locked(casus)
    to_step = casus.current_step.next_steps.filter(code=to_code).first()
    reasons = refusal_reasons(casus, to_step, actor)
    if reasons:
        raise TransitionRefused(reasons)
    now = timezone.now()
    from_step = casus.current_step
    closed_at = now if from_step.kind == StepKind.AFSLUITING and casus.closed_at is None else None
    write(
        casus,
        actor,
        {
            "current_step": to_step,
            "step_entered_at": now,
            "deadline_at": deadline_for(to_step, casus.priority, now),
            "closed_at": closed_at or casus.closed_at,
        },
        detail={"van": from_step.code, "naar": to_step.code},
    )
    return enter(casus, from_step, to_step, actor, now, reason)


@transaction.atomic
def set_case_details(
    casus: Casus, *, actor: User, case_type: str, priority: Priority | None
) -> Casus:
    """The track (victim, perpetrator, both) and the priority; a new priority moves the
    current step's deadline, counted from when the case entered the step."""
    casus = locked(casus)
    require(actor, Action.CHANGE_CASE_DETAILS, casus)
    types = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CASE_TYPE, is_active=True)
    if case_type and not types.filter(code=case_type).exists():
        raise ValidationError(_("Kies een casustype uit de lijst van de regio."))
    return write(
        casus,
        actor,
        {
            "case_type": case_type,
            "priority": priority,
            "deadline_at": deadline_for(casus.current_step, priority, casus.step_entered_at),
        },
    )


@transaction.atomic
def appoint_coordinator(casus: Casus, *, actor: User, coordinator: User) -> Casus:
    """A casuscoördinator from the staff with that role; replaces one without an account."""
    casus = locked(casus)
    require(actor, Action.APPOINT_COORDINATOR, casus)
    if not coordinator.is_active or Role.CASUSCOORDINATOR not in coordinator.role_codes():
        raise ValidationError(_("Kies een actieve gebruiker met de rol casuscoördinator."))
    external = ExternalCoordinator.objects.filter(casus=casus).first()
    if external is not None:
        record(
            AuditAction.CHANGE,
            user=actor,
            target=casus,
            case_id=casus.reference,
            changes={"external_coordinator": (external.kind, None)},
        )
        external.delete()
    return write(casus, actor, {"coordinator": coordinator})


@transaction.atomic
def appoint_external_coordinator(
    casus: Casus,
    *,
    actor: User,
    kind: str,
    name: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
) -> ExternalCoordinator:
    """A casuscoördinator without an account: a partner's professional or the reporter,
    a contact to be reached; the meldpunt keeps the case in its own hands in the system."""
    casus = locked(casus)
    require(actor, Action.APPOINT_COORDINATOR, casus)
    if kind not in ExternalCoordinator.Kind.values or not name.strip():
        raise ValidationError(_("Vul in wie de casuscoördinator is en zijn of haar naam."))
    if not (phone.strip() or email.strip()):
        raise ValidationError(
            _("Vul een telefoonnummer of e-mailadres in om hem of haar te bereiken.")
        )
    old = ExternalCoordinator.objects.filter(casus=casus).first()
    external, _created = ExternalCoordinator.objects.update_or_create(
        casus=casus,
        defaults={
            "kind": kind,
            "name": name.strip(),
            "organisation": organisation.strip(),
            "phone": phone.strip(),
            "email": email.strip(),
        },
    )
    write(casus, actor, {"coordinator": None})
    record(
        AuditAction.CHANGE,
        user=actor,
        target=casus,
        case_id=casus.reference,
        changes={"external_coordinator": (old.kind if old else None, external.kind)},
    )
    return external


@transaction.atomic
def set_closing_reason(casus: Casus, *, actor: User, code: str) -> Casus:
    casus = locked(casus)
    require(actor, Action.CLOSE_CASE, casus)
    if not CatalogueEntry.objects.filter(
        catalogue=CatalogueKind.CLOSING_REASON, code=code, is_active=True
    ).exists():
        raise ValidationError(_("Kies een afsluitreden uit de lijst van de regio."))
    return write(casus, actor, {"closing_reason": code})


@transaction.atomic
def complete(casus: Casus, *, actor: User) -> Casus:
    """Finish a case at the end of its work process, once that step's conditions hold."""
    casus = locked(casus)
    reasons = []
    if not may(actor, Action.COMPLETE_CASE, casus):
        reasons.append(_("U heeft niet de rol om deze casus af te ronden."))
    if casus.completed_at is not None:
        reasons.append(_("De casus is al afgerond."))
    if casus.current_step.next_steps.exists():
        reasons.append(_("De casus is nog niet bij de laatste stap van het werkproces."))
    reasons += missing_guards(casus)
    if reasons:
        raise TransitionRefused(reasons)
    now = timezone.now()
    return write(
        casus,
        actor,
        {"completed_at": now, "closed_at": casus.closed_at or now, "deadline_at": None},
    )


@transaction.atomic
def reopen(casus: Casus, *, actor: User, reason: str) -> StepTransition:
    """A closed or finished case starts again at the first step of its own version, with
    its history kept (reoffending, a new report)."""
    casus = locked(casus)
    require(actor, Action.REOPEN_CASE, casus)
    if casus.closed_at is None and casus.completed_at is None:
        raise ValidationError(_("Alleen een afgesloten of afgeronde casus kan worden heropend."))
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor het heropenen."))
    now = timezone.now()
    from_step, start = casus.current_step, casus.definition.steps.get(is_start=True)
    write(
        casus,
        actor,
        {
            "current_step": start,
            "step_entered_at": now,
            "deadline_at": deadline_for(start, casus.priority, now),
            "closed_at": None,
            "completed_at": None,
            "closing_reason": "",
        },
        detail={"heropend": True, "van": from_step.code, "naar": start.code},
    )
    return enter(casus, from_step, start, actor, now, reason.strip())
