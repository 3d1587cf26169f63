"""Checks a work process before it may be used: the same rules for a draft in the
editor and for a configuration file, all problems reported at once, in Dutch."""

from collections import deque
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.policy import REGION_RULES, Role
from configuratie.conditions import CONDITIONS
from configuratie.models import StepKind, WorkflowDefinition


@dataclass
class StepSpec:
    code: str
    name: str
    kind: str
    responsible_role: str
    is_start: bool = False
    guards: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    deadline_days: int | None = None
    deadline_days_by_priority: dict[str, int] = field(default_factory=dict)


def specs_of(definition: WorkflowDefinition) -> list[StepSpec]:
    steps = definition.steps.prefetch_related("next_steps")
    return [
        StepSpec(
            code=step.code,
            name=step.name,
            kind=step.kind,
            responsible_role=step.responsible_role,
            is_start=step.is_start,
            guards=list(step.guards),
            next_steps=[following.code for following in step.next_steps.all()],
            deadline_days=step.deadline_days,
            deadline_days_by_priority=dict(step.deadline_days_by_priority),
        )
        for step in steps
    ]


def reachable_from(starts: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen, queue = set(starts), deque(starts)
    while queue:
        for following in edges.get(queue.popleft(), []):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return seen


def validate_workflow(steps: list[StepSpec], priority_codes: set[str]) -> list[str]:
    problems: list[str] = []
    if not steps:
        return [_("Het werkproces heeft geen stappen.")]
    codes = [step.code for step in steps]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        problems.append(_("De code '%(code)s' komt meer dan eens voor.") % {"code": code})
    known = set(codes)
    for step in steps:
        where = {"step": step.name}
        if step.kind not in StepKind.values:
            problems.append(
                _("Stap '%(step)s' heeft een onbekende soort '%(kind)s'.")
                % (where | {"kind": step.kind})
            )
        if step.responsible_role not in {role.value for role in Role}:
            problems.append(
                _("Stap '%(step)s' noemt een onbekende rol '%(role)s'.")
                % (where | {"role": step.responsible_role})
            )
        for guard in step.guards:
            if guard not in CONDITIONS:
                problems.append(
                    _("Stap '%(step)s' noemt een onbekende voorwaarde '%(guard)s'.")
                    % (where | {"guard": guard})
                )
            elif step.responsible_role not in REGION_RULES[CONDITIONS[guard].action]:
                problems.append(
                    _(
                        "Stap '%(step)s': de verantwoordelijke rol kan niet zelf zorgen dat '%(condition)s'. Kies een andere rol of voorwaarde."
                    )
                    % (where | {"condition": CONDITIONS[guard].label})
                )
        for following in step.next_steps:
            if following not in known:
                problems.append(
                    _("Stap '%(step)s' verwijst naar een onbekende volgende stap '%(next)s'.")
                    % (where | {"next": following})
                )
        for priority in step.deadline_days_by_priority:
            if priority not in priority_codes:
                problems.append(
                    _(
                        "Stap '%(step)s' heeft een termijn voor een onbekende prioriteit '%(priority)s'."
                    )
                    % (where | {"priority": priority})
                )

    starts = [step.code for step in steps if step.is_start]
    if len(starts) != 1:
        problems.append(
            _("Er moet precies één startstap zijn; nu zijn het er %(count)d.")
            % {"count": len(starts)}
        )
    closing = [step.code for step in steps if step.kind == StepKind.AFSLUITING]
    if not closing:
        problems.append(_("Er is geen afsluitende stap (een stap van de soort 'Afsluiting')."))

    edges = {step.code: [code for code in step.next_steps if code in known] for step in steps}
    reverse: dict[str, list[str]] = {code: [] for code in known}
    for code, followers in edges.items():
        for following in followers:
            reverse[following].append(code)
    names = {step.code: step.name for step in steps}
    reachable = reachable_from(starts, edges) if starts else known
    after_closing = reachable_from(closing, edges)
    reaches_closing = reachable_from(closing, reverse)
    ends = [code for code, followers in edges.items() if not followers]
    reaches_end = reachable_from(ends, reverse)
    for code in codes:
        where = {"step": names[code]}
        if starts and code not in reachable:
            problems.append(_("Stap '%(step)s' is vanaf de startstap niet te bereiken.") % where)
        if closing and code not in reaches_closing and code not in after_closing:
            problems.append(
                _("Vanuit stap '%(step)s' is geen afsluitende stap te bereiken.") % where
            )
        if code not in reaches_end:
            problems.append(
                _("Vanuit stap '%(step)s' komt het werkproces nooit tot een einde.") % where
            )
    return problems
