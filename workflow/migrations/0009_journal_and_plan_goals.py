"""The screening notes become the case's journal; a plan's summary becomes its goals."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflow", "0008_person_case_required")]

    operations = [
        migrations.RenameModel("ScreeningNote", "JournalEntry"),
        migrations.RenameField("PlanOfApproach", "summary", "goals"),
    ]
