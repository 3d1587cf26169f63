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
`recompute_waiting` derives every case's, for what writes past the ORM and, every night,
for what a process that did not know a value wrote (an older process during a deploy).
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

# Each case's four values derived from its records (`{cases}` narrows the cases), written
# only where they differ: a record saved without changing what its case waits on leaves
# the case's row (and its indexes) as it was.
WAITING = """
UPDATE workflow_casus c SET awaits_feedback = n.awaits_feedback,
    reporter_waiting = n.reporter_waiting, open_action_due_on = n.open_action_due_on,
    victim_unregistered = n.victim_unregistered
FROM (SELECT c.id,
    EXISTS (
        SELECT 1 FROM workflow_screeningoutcome s WHERE s.casus_id = c.id
    ) AND EXISTS (
        SELECT 1 FROM workflow_report r WHERE r.casus_id = c.id
        AND NOT EXISTS (SELECT 1 FROM workflow_feedback f WHERE f.report_id = r.id)
    ) AS awaits_feedback,
    EXISTS (
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
    ) AS reporter_waiting,
    (
        SELECT min(a.due_on) FROM workflow_planaction a
        WHERE a.status <> ALL(%(finished)s) AND a.plan_id = (
            SELECT p.id FROM workflow_planofapproach p WHERE p.casus_id = c.id
            ORDER BY p.version DESC LIMIT 1
        )
    ) AS open_action_due_on,
    EXISTS (
        SELECT 1 FROM workflow_involvedperson v
        WHERE v.casus_id = c.id AND v.role = %(victim)s
        AND NOT EXISTS (
            SELECT 1 FROM workflow_comensharegistration g
            WHERE g.person_id = v.id AND g.sent_at IS NOT NULL
        )
    ) AS victim_unregistered
    FROM workflow_casus c {cases}) n
WHERE n.id = c.id
AND (c.awaits_feedback, c.reporter_waiting, c.open_action_due_on, c.victim_unregistered)
    IS DISTINCT FROM
    (n.awaits_feedback, n.reporter_waiting, n.open_action_due_on, n.victim_unregistered)
"""
# The cases' rows are locked by a statement of their own before the derivation: under
# READ COMMITTED an UPDATE that waited for a row another transaction wrote re-reads that
# row only, not the records its values derive from, so two writes to one case at once
# (two victims' registrations sent) would each derive without the other's record. Once
# the lock is held, the next statement sees what the other committed.
LOCK_CASES = "SELECT 1 FROM workflow_casus WHERE id = ANY(%(ids)s) ORDER BY id FOR UPDATE"
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
            cursor.execute(LOCK_CASES, {"ids": ids})
            cursor.execute(
                WAITING.format(cases="WHERE c.id = ANY(%(ids)s)"), PARAMETERS | {"ids": ids}
            )


def recompute_waiting() -> int:
    """Every case's, in the current schema, in one statement; how many cases differed.
    Nightly (workflow.tasks) as well: a write the receivers did not see (an older
    process during a deploy's rollout) is mended within a day."""
    with connection.cursor() as cursor:
        cursor.execute(WAITING.format(cases=""), PARAMETERS)
        return cursor.rowcount


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
