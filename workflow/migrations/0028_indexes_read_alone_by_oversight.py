"""Three foreign-key indexes widened, none added: `(casus, id)` on reports, `(report,
recorded_at)` on feedback and `(casus, role, id)` on involved persons replace `(casus)`,
`(report)` and `(casus)`. They serve what those served, and let process oversight's
signal counts and the CoMensha count on the procesregisseur's home read the index
alone instead of every wide (encrypted) row: at 100,000 cases the counts' buffers
halve (docs/indexes.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0027_indexes_no_query_uses"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="feedback",
            name="report",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="feedback",
                to="workflow.report",
            ),
        ),
        migrations.AlterField(
            model_name="involvedperson",
            name="casus",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="persons",
                to="workflow.casus",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="casus",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reports",
                to="workflow.casus",
            ),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(
                fields=["report", "recorded_at"], name="feedback_report_recorded_at"
            ),
        ),
        migrations.AddIndex(
            model_name="involvedperson",
            index=models.Index(fields=["casus", "role", "id"], name="involvedperson_casus_role"),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["casus", "id"], name="report_casus_id"),
        ),
    ]
