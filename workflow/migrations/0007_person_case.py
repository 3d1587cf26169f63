"""A person row knows its case, so a search on a name goes straight to the case."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0006_conversation_required_and_case_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="involvedperson",
            name="casus",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="persons",
                to="workflow.casus",
            ),
        ),
        migrations.RunSQL(
            "UPDATE workflow_involvedperson AS person SET casus_id = report.casus_id "
            "FROM workflow_report AS report WHERE report.id = person.report_id",
            migrations.RunSQL.noop,
        ),
    ]
