"""A case's last activity, stored (workflow/activity.py), filled from the history every
case already has."""

import django.utils.timezone
from django.db import migrations, models

from workflow.activity import activity_sources, recompute_last_activity


def fill_last_activity(apps, schema_editor) -> None:
    models_then = apps.get_app_config("workflow").get_models()
    recompute_last_activity(activity_sources(models_then), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0022_comensha_registration"),
    ]

    operations = [
        migrations.AddField(
            model_name="casus",
            name="last_activity_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="laatste activiteit"
            ),
        ),
        migrations.RunPython(fill_last_activity, migrations.RunPython.noop),
    ]
