"""What a case waits on, kept on the case (workflow/waiting.py): feedback after its
screening, an answer to a reporter's message, and the earliest open action date of its
current plan, filled from the records every case already has.

The statement is workflow.waiting's WAITING as it was at this migration, with its
values written out: a migration must mean the same whatever that module becomes."""

from django.db import migrations, models

FILL_WHAT_CASES_WAIT_ON = """
UPDATE workflow_casus c SET
    awaits_feedback = EXISTS (
        SELECT 1 FROM workflow_screeningoutcome s WHERE s.casus_id = c.id
    ) AND EXISTS (
        SELECT 1 FROM workflow_report r WHERE r.casus_id = c.id
        AND NOT EXISTS (SELECT 1 FROM workflow_feedback f WHERE f.report_id = r.id)
    ),
    reporter_waiting = EXISTS (
        SELECT 1 FROM workflow_reportermessage m
        WHERE m.casus_id = c.id AND m.direction = 'antwoord'
        AND NOT EXISTS (
            SELECT 1 FROM workflow_reportermessage q WHERE q.report_id = m.report_id
            AND q.direction = 'vraag' AND q.sent_at > m.sent_at
        )
        AND NOT EXISTS (
            SELECT 1 FROM workflow_feedback f WHERE f.report_id = m.report_id
            AND f.recorded_at > m.sent_at
        )
    ),
    open_action_due_on = (
        SELECT min(a.due_on) FROM workflow_planaction a
        WHERE a.status NOT IN ('geannuleerd', 'gereed') AND a.plan_id = (
            SELECT p.id FROM workflow_planofapproach p WHERE p.casus_id = c.id
            ORDER BY p.version DESC LIMIT 1
        )
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0030_merge_20261207_0024"),
    ]

    operations = [
        migrations.AddField(
            model_name="casus",
            name="awaits_feedback",
            field=models.BooleanField(
                db_default=False,
                default=False,
                verbose_name="gescreend, melder zonder terugkoppeling",
            ),
        ),
        migrations.AddField(
            model_name="casus",
            name="reporter_waiting",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="bericht van een melder onbeantwoord"
            ),
        ),
        migrations.AddField(
            model_name="casus",
            name="open_action_due_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="eerste open actie gereed voor"
            ),
        ),
        migrations.RunSQL(FILL_WHAT_CASES_WAIT_ON, migrations.RunSQL.noop),
    ]
