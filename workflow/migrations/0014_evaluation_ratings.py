"""An evaluation gets a short answer per question (ja, deels, nee, onbekend) beside the
written one, so the statistics can summarise evaluations without decrypting them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflow", "0013_municipality_code")]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="ratings",
            field=models.JSONField(blank=True, default=dict, verbose_name="korte antwoorden"),
        ),
    ]
