"""The outbox is the project shell's now (meldpunt migration 0002 took the table and
its rows): only Django's record of the model goes here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0019_document_virus_scan"),
        ("meldpunt", "0002_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboxMessage")],
        ),
    ]
