"""When a case left each step: `StepTransition.left_at`, the moment of the case's next
transition, so that the statistics' time per step is an aggregate over the transitions
instead of a window over every case's history. From now on the engine writes it with the
next transition; here it is filled in from the history, in one statement per region:
each transition's next one, in the order the history is read (`at`, then `id`)."""

from django.db import migrations, models

FROM_HISTORY = """
UPDATE workflow_steptransition t SET left_at = n.left_at
FROM (
    SELECT id, LEAD(at) OVER (PARTITION BY casus_id ORDER BY at, id) AS left_at
    FROM workflow_steptransition
) n
WHERE n.id = t.id AND n.left_at IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0027_indexes_no_query_uses"),
    ]

    operations = [
        migrations.AddField(
            model_name="steptransition",
            name="left_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(FROM_HISTORY, migrations.RunSQL.noop),
    ]
