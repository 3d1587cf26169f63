"""The monthly figures now hold the evaluations' short answers too: the months counted
before lack them, so they are removed, and the beat's refresh counts every month again
(meanwhile the page counts in the cases: slower, never wrong)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("statistiek", "0003_monthly_figures"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM statistiek_monthlyfigure", migrations.RunSQL.noop),
    ]
