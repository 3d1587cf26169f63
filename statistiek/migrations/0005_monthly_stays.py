"""The monthly figures now hold the stays in each step too, with their lengths (for the
time per step and its median over several months): the months counted before lack them,
so they are removed, and the beat's refresh counts every month again (meanwhile the page
counts in the cases: slower, never wrong)."""

import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("statistiek", "0004_monthly_figures_count_evaluations"),
    ]

    operations = [
        migrations.AddField(
            model_name="monthlyfigure",
            name="seconds",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.FloatField(), blank=True, null=True, size=None
            ),
        ),
        migrations.RunSQL("DELETE FROM statistiek_monthlyfigure", migrations.RunSQL.noop),
    ]
