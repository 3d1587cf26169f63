"""What a case waits on, kept on the case so that process oversight reads three columns
instead of every report, message, feedback and plan action of the region
(tests/bench/oversight.py):

- `awaits_feedback`: the case was screened, and a report of it has had no feedback;
- `reporter_waiting`: a reporter's message after which the meldpunt wrote nothing on
  that report (no question, no feedback);
- `open_action_due_on`: the earliest due date of an action not done or cancelled in the
  case's current plan (its latest version);
- `victim_unregistered`: a (possible) victim of the case without a registration sent to
  CoMensha (the procesregisseur's home, workflow/services/comensha.py).

All four are derived in one statement from the records (`WAITING`), so the values kept
after a change and the ones a full recount gives are the same expression. A save of a
report, feedback, message, screening outcome, plan, action, person or CoMensha
registration derives them again for its case in the same transaction (the receivers
connected here), and so does a write of them in bulk (a plan's actions, a transfer's
parts, an erasure: `workflow.models.bulk`).
`recompute_waiting` derives every case's, for what writes past the ORM.
"""

from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_save

from workflow.models import (
    ComenshaRegistration,
    Feedback,
    InvolvedPerson,
    PersonRole,
    PlanAction,
    PlanOfApproach,
    Report,
    ReporterMessage,
    ScreeningOutcome,
)
from workflow.models.bulk import written_in_bulk

WAITING = """
UPDATE workflow_casus c SET
    awaits_feedback = EXISTS (
        SELECT 1 FROM workflow_screeningoutcome s WHERE s.casus_id = c.id
    ) AND EXISTS (
        SELECT 1 FROM workflow_report r WHERE r.casus_id = c.id
        AND NOT EXISTS (SELECT 1 FROM workflow_feedback f WHERE f.report_id = r.id)
    ),
    reporter_waiting = EXISTS (
        SELECT 1 FROM workflow_reportermessage m
        WHERE m.casus_id = c.id AND m.direction = %(reply)s
        AND NOT EXISTS (
            SELECT 1 FROM workflow_reportermessage q WHERE q.report_id = m.report_id
            AND q.direction = %(question)s AND q.sent_at > m.sent_at
        )
        AND NOT EXISTS (
            SELECT 1 FROM workflow_feedback f WHERE f.report_id = m.report_id
            AND f.recorded_at > m.sent_at
        )
    ),
    open_action_due_on = (
        SELECT min(a.due_on) FROM workflow_planaction a
        WHERE a.status <> ALL(%(finished)s) AND a.plan_id = (
            SELECT p.id FROM workflow_planofapproach p WHERE p.casus_id = c.id
            ORDER BY p.version DESC LIMIT 1
        )
    ),
    victim_unregistered = EXISTS (
        SELECT 1 FROM workflow_involvedperson v
        WHERE v.casus_id = c.id AND v.role = %(victim)s
        AND NOT EXISTS (
            SELECT 1 FROM workflow_comensharegistration g
            WHERE g.person_id = v.id AND g.sent_at IS NOT NULL
        )
    )
"""
PARAMETERS = {
    "reply": ReporterMessage.Direction.REPLY.value,
    "question": ReporterMessage.Direction.QUESTION.value,
    "finished": sorted(PlanAction.FINISHED),
    "victim": PersonRole.VICTIM.value,
}


def keep_waiting(*case_ids: int | None) -> None:
    """Derives what the cases `case_ids` wait on again, in the current transaction."""
    ids = sorted({pk for pk in case_ids if pk is not None})
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(WAITING + " WHERE c.id = ANY(%(ids)s)", PARAMETERS | {"ids": ids})


def recompute_waiting() -> None:
    """Every case's, in the current schema, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(WAITING, PARAMETERS)


def changed(instance: Model, **_signal: Any) -> None:
    keep_waiting(type(instance).objects.case_of(instance))


def changed_in_bulk(case_ids: frozenset[int], **_signal: Any) -> None:
    keep_waiting(*case_ids)


def keep_what_cases_wait_on() -> None:
    """Connects the receivers (from WorkflowConfig.ready). On saves only: these records
    are deleted only with their case (an erased person is emptied, not deleted), and a
    receiver on deletes would cost a case's deletion a statement per record (and
    Django's fast delete)."""
    for model in (
        Report,
        Feedback,
        ReporterMessage,
        ScreeningOutcome,
        PlanOfApproach,
        PlanAction,
        InvolvedPerson,
        ComenshaRegistration,
    ):
        post_save.connect(changed, sender=model, dispatch_uid=f"wacht-op-{model.__name__}")
        written_in_bulk.connect(
            changed_in_bulk, sender=model, dispatch_uid=f"wacht-op-bulk-{model.__name__}"
        )
