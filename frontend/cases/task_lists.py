"""The case page's lists of links (the conditions to leave the step, the step's tasks,
the tasks always at hand) written in Python, as cases/detail.html wrote them: the
template's loop, tags and variables per link cost more than the links themselves.
Every text is escaped as the template escaped it."""

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from frontend.cases.casework import TaskLink
from workflow.guards import ConditionState

STEP_TASK = (
    '<li><a class="utrecht-button-link utrecht-button-link--html-a '
    'utrecht-button-link--secondary-action" href="{url}">{title}</a></li>'
)
OTHER_TASK = '<li><a class="utrecht-link" href="{url}">{title}</a></li>'


def task_items(tasks: Iterable[TaskLink], item: str) -> SafeString:
    """The <li> of each task in `item`'s form (STEP_TASK or OTHER_TASK); empty for none."""
    return mark_safe(  # noqa: S308 # nosec B308 B703 - the address and title are escaped
        "".join(item.format(url=escape(task.url), title=escape(task.title)) for task in tasks)
    )


def condition_items(conditions: Iterable[tuple[ConditionState, str]]) -> SafeString:
    """The checklist's <li> of each condition with the address of the task that makes it
    hold, linked while it does not; empty for none."""
    held, open_, arrange = escape(_("Voldaan:")), escape(_("Nog niet voldaan:")), _("regelen")
    items = []
    for condition, url in conditions:
        label = escape(condition.label)
        if condition.holds:
            items.append(
                '<li class="meldpunt-checklist__item meldpunt-checklist__item--done">'
                f'<span class="meldpunt-visually-hidden">{held} </span>{label}</li>'
            )
        else:
            items.append(
                '<li class="meldpunt-checklist__item meldpunt-checklist__item--open">'
                f'<span class="meldpunt-visually-hidden">{open_} </span>{label} · '
                f'<a class="utrecht-link" href="{escape(url)}">{escape(arrange)}'
                f'<span class="meldpunt-visually-hidden">: {label}</span></a></li>'
            )
    return mark_safe("\n    ".join(items))  # noqa: S308 # nosec B308 B703 - every text above is escaped
