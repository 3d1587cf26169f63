"""The indexes of a role grant's `requested_by` and `decided_by`: a grant is read for its
account and joined to who asked and who decided by their primary key, never looked up by
them; no benchmark or test scanned them (docs/indexes.md), and users are never deleted.
A region has 2 relations fewer for it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_merge_0007_identity_provider_0007_role_descriptions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rolegrant",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="besloten door",
            ),
        ),
        migrations.AlterField(
            model_name="rolegrant",
            name="requested_by",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="aangevraagd door",
            ),
        ),
    ]
