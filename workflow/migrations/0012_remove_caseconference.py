"""A casusoverleg is a meeting now (0011 moved the recorded ones there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflow", "0011_casework_data")]

    operations = [migrations.DeleteModel(name="CaseConference")]
