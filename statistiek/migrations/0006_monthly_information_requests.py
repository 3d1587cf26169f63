"""The monthly figures now hold the information requests per partner too, with their
response times (for the median over several months): the months counted before lack
them, so they are removed, and the beat's refresh counts every month again (meanwhile
the page counts in the cases: slower, never wrong)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("statistiek", "0005_monthly_stays"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM statistiek_monthlyfigure", migrations.RunSQL.noop),
    ]
