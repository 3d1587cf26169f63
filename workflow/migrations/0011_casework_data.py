"""Existing records in the new shapes: a recorded casusoverleg becomes a case conference
meeting with the case discussed on its agenda; a risk assessment's yes/no answers become
ja/nee, and its level the computed one."""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone


def conferences_to_meetings(apps, schema_editor) -> None:
    conference = apps.get_model("workflow", "CaseConference")
    meeting = apps.get_model("workflow", "Meeting")
    item = apps.get_model("workflow", "AgendaItem")
    for held in conference.objects.all():
        starts_at = timezone.make_aware(datetime.combine(held.held_on, time(10)))
        created = meeting.objects.create(
            kind="casusoverleg",
            starts_at=starts_at,
            created_by_id=held.recorded_by_id,
            closed_at=held.recorded_at,
        )
        item.objects.create(
            meeting=created,
            casus_id=held.casus_id,
            minutes=held.notes,
            discussed_at=held.recorded_at,
            discussed_by_id=held.recorded_by_id,
        )


def risk_answers_in_words(apps, schema_editor) -> None:
    assessment = apps.get_model("workflow", "RiskAssessment")
    for item in assessment.objects.all():
        item.answers = {
            code: ("ja" if answer is True else "nee" if answer is False else answer)
            for code, answer in item.answers.items()
        }
        item.computed_level = item.level
        item.save(update_fields=["answers", "computed_level"])


class Migration(migrations.Migration):
    dependencies = [("workflow", "0010_casework")]

    operations = [
        migrations.RunPython(conferences_to_meetings, migrations.RunPython.noop),
        migrations.RunPython(risk_answers_in_words, migrations.RunPython.noop),
    ]
