"""The index on a person's municipality holds the case too (workflow/models/reports.py):
the statistics filtered by one municipality find its cases from the index alone. The
plain index it replaces is dropped, so a region keeps the same number of indexes."""

from django.db import migrations, models

import configuratie.gemeenten


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0031_casus_what_it_waits_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="involvedperson",
            name="municipality",
            field=models.CharField(
                blank=True,
                choices=configuratie.gemeenten.municipality_choices,
                max_length=6,
                verbose_name="gemeente",
            ),
        ),
        migrations.AddIndex(
            model_name="involvedperson",
            index=models.Index(fields=["municipality", "casus"], name="person_by_municipality"),
        ),
    ]
