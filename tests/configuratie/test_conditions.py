"""Every condition a step may set names the case task through which it is made to hold."""

from configuratie.conditions import CONDITIONS
from frontend.cases.casework import PLAN_TASK, TASKS


def test_every_condition_names_a_task_of_the_case_screens() -> None:
    offered = set(TASKS) | {PLAN_TASK}
    assert {code: c.task for code, c in CONDITIONS.items() if c.task not in offered} == {}
