"""The case page's checklist and task links, written in Python, are the HTML the
template wrote, with every text escaped."""

from django.template import engines

from frontend.cases.casework import TaskLink
from frontend.cases.task_lists import OTHER_TASK, STEP_TASK, condition_items, task_items
from workflow.guards import ConditionState

# The template's loops as cases/detail.html had them.
CONDITIONS = engines["django"].from_string(
    "{% load i18n %}{% for condition, url in conditions %}"
    '<li class="meldpunt-checklist__item meldpunt-checklist__item--{% if condition.holds %}done'
    '{% else %}open{% endif %}"><span class="meldpunt-visually-hidden">{% if condition.holds %}'
    '{% translate "Voldaan:" %}{% else %}{% translate "Nog niet voldaan:" %}{% endif %} </span>'
    '{{ condition.label }}{% if not condition.holds %} · <a class="utrecht-link" '
    'href="{{ url }}">{% translate "regelen" %}<span class="meldpunt-visually-hidden">: '
    "{{ condition.label }}</span></a>{% endif %}</li>{% endfor %}"
)
TASKS = engines["django"].from_string(
    '{% for task in tasks %}<li><a class="utrecht-button-link utrecht-button-link--html-a '
    'utrecht-button-link--secondary-action" href="{{ task.url }}">{{ task.title }}</a></li>'
    '{% endfor %}|{% for task in tasks %}<li><a class="utrecht-link" href="{{ task.url }}">'
    "{{ task.title }}</a></li>{% endfor %}"
)


def condition(label: str, holds: bool) -> ConditionState:
    return ConditionState(code="c", label=label, missing="", holds=holds)


def test_the_checklist_is_the_template_s_with_its_texts_escaped():
    conditions = [
        (condition("Melder <gesproken> & gehoord", True), "/casussen/2026-00001/journaal/"),
        (condition('Risico\'s "gewogen"', False), "/casussen/2026-00001/risicotaxatie/?a=1&b=2"),
    ]
    made = condition_items(conditions)
    assert made.replace("\n    ", "") == CONDITIONS.render({"conditions": conditions})
    assert "&lt;gesproken&gt; &amp; gehoord" in made
    assert "Risico&#x27;s &quot;gewogen&quot;" in made
    assert 'href="/casussen/2026-00001/risicotaxatie/?a=1&amp;b=2"' in made
    assert condition_items([]) == ""


def test_the_task_links_are_the_template_s_with_their_texts_escaped():
    tasks = [
        TaskLink("journaal", "Journaal <bijwerken>", "/casussen/2026-00001/journaal/"),
        TaskLink("x", "Vraag & antwoord", "/casussen/2026-00001/vraag/?a=1&b=2"),
    ]
    made = f"{task_items(tasks, STEP_TASK)}|{task_items(tasks, OTHER_TASK)}"
    assert made == TASKS.render({"tasks": tasks})
    assert "Journaal &lt;bijwerken&gt;" in made
    assert task_items([], OTHER_TASK) == ""
