"""The municipalities of a region's working area, from the CBS reference list."""

from django.db import migrations, models

import configuratie.gemeenten


class Migration(migrations.Migration):
    dependencies = [
        ("configuratie", "0003_meeting_access_window"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegionMunicipality",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        choices=configuratie.gemeenten.municipality_choices,
                        max_length=6,
                        unique=True,
                        verbose_name="gemeente",
                    ),
                ),
                (
                    "funds_meldpunt",
                    models.BooleanField(default=False, verbose_name="financiert het meldpunt"),
                ),
                (
                    "young_population",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Bijvoorbeeld uit CBS StatLine; leeg als onbekend.",
                        null=True,
                        verbose_name="aantal jongeren (10 tot 23 jaar)",
                    ),
                ),
            ],
            options={
                "verbose_name": "gemeente van de regio",
                "verbose_name_plural": "gemeenten van de regio",
                "ordering": ["code"],
            },
        ),
    ]
