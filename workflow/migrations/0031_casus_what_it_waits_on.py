"""What a case waits on, kept on the case (workflow/waiting.py): feedback after its
screening, an answer to a reporter's message, and the earliest open action date of its
current plan, filled from the records every case already has."""

from django.db import migrations, models

from workflow.waiting import recompute_waiting


def fill_what_cases_wait_on(apps, schema_editor) -> None:
    recompute_waiting(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0030_merge_20261207_0024"),
    ]

    operations = [
        migrations.AddField(
            model_name="casus",
            name="awaits_feedback",
            field=models.BooleanField(
                db_default=False,
                default=False,
                verbose_name="gescreend, melder zonder terugkoppeling",
            ),
        ),
        migrations.AddField(
            model_name="casus",
            name="reporter_waiting",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="bericht van een melder onbeantwoord"
            ),
        ),
        migrations.AddField(
            model_name="casus",
            name="open_action_due_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="eerste open actie gereed voor"
            ),
        ),
        migrations.RunPython(fill_what_cases_wait_on, migrations.RunPython.noop),
    ]
