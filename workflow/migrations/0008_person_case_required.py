"""Every person belongs to the case of their report."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflow", "0007_person_case")]

    operations = [
        migrations.AlterField(
            model_name="involvedperson",
            name="casus",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="persons",
                to="workflow.casus",
            ),
        ),
    ]
