"""Every piece of feedback and every message belongs to a report; gender holds a choice;
indexes that match the case list's default orders."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflow", "0005_encrypt_under_region_keys")]

    operations = [
        migrations.AlterField(
            model_name="involvedperson",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[("v", "vrouw of meisje"), ("m", "man of jongen"), ("x", "anders")],
                max_length=1,
                verbose_name="gender",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="feedback",
                to="workflow.report",
            ),
        ),
        migrations.AlterField(
            model_name="reportermessage",
            name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="messages",
                to="workflow.report",
            ),
        ),
        migrations.AddIndex(
            model_name="casus",
            index=models.Index(
                fields=["deadline_at", "id"],
                condition=models.Q(("completed_at__isnull", True)),
                name="casus_open_by_deadline",
            ),
        ),
        migrations.AddIndex(
            model_name="casus",
            index=models.Index(
                fields=["step_entered_at", "id"],
                condition=models.Q(("completed_at__isnull", True)),
                name="casus_open_by_step_entered",
            ),
        ),
        migrations.AddIndex(
            model_name="casus",
            index=models.Index(
                fields=["completed_at", "id"],
                condition=models.Q(("completed_at__isnull", False)),
                name="casus_completed",
            ),
        ),
        migrations.AddIndex(
            model_name="casus",
            index=models.Index(fields=["opened_at", "id"], name="casus_by_opened"),
        ),
    ]
