"""The statistics page counts the current month (and any month a change removed from
its monthly figures) in the cases; without these its stays and closing reasons of that
month read the whole transition and case tables (docs/indexes.md). `steptransition_at`
served the stays by the moment a case entered a step, which no query reads any more
since a stay counts by `left_at`: replaced, so a region keeps one index more, not two."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0033_merge_20261207_0218"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="steptransition",
            name="steptransition_at",
        ),
        migrations.AddIndex(
            model_name="casus",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", False)),
                fields=["closed_at"],
                name="casus_closed",
            ),
        ),
        migrations.AddIndex(
            model_name="steptransition",
            index=models.Index(
                condition=models.Q(("left_at__isnull", False)),
                fields=["left_at"],
                name="steptransition_left",
            ),
        ),
    ]
