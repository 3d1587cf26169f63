"""Whether a case has a (possible) victim not yet registered with CoMensha, kept on the
case (workflow/waiting.py) and filled from the persons and registrations every case
already has; and the index process oversight's one scan of the open cases reads instead
of their rows (workflow/oversight.py, docs/indexes.md).

The statement is workflow.waiting's part for this column as it was at this migration,
with its values written out: a migration must mean the same whatever that module
becomes."""

from django.db import migrations, models

FILL_VICTIM_UNREGISTERED = """
UPDATE workflow_casus c SET
    victim_unregistered = EXISTS (
        SELECT 1 FROM workflow_involvedperson v
        WHERE v.casus_id = c.id AND v.role = 'slachtoffer'
        AND NOT EXISTS (
            SELECT 1 FROM workflow_comensharegistration g
            WHERE g.person_id = v.id AND g.sent_at IS NOT NULL
        )
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0034_stays_and_closings_of_a_period"),
    ]

    operations = [
        migrations.AddField(
            model_name="casus",
            name="victim_unregistered",
            field=models.BooleanField(
                db_default=False,
                default=False,
                verbose_name="slachtoffer nog niet bij CoMensha geregistreerd",
            ),
        ),
        migrations.RunSQL(FILL_VICTIM_UNREGISTERED, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="casus",
            index=models.Index(
                condition=models.Q(("completed_at__isnull", True)),
                fields=["current_step"],
                include=(
                    "id",
                    "deadline_at",
                    "open_action_due_on",
                    "last_activity_at",
                    "awaits_feedback",
                    "reporter_waiting",
                    "victim_unregistered",
                ),
                name="casus_open_counted",
            ),
        ),
    ]
