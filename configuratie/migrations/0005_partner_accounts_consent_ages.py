"""A partner contact's portal account; the region's consent ages and when a case is quiet."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("configuratie", "0004_region_municipalities"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="partnercontact",
            name="account",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="partner_contact",
                to=settings.AUTH_USER_MODEL,
                verbose_name="account in het partnerportaal",
            ),
        ),
        migrations.AddField(
            model_name="regionsettings",
            name="consent_alone_from_age",
            field=models.PositiveIntegerField(
                default=16, verbose_name="toestemming: zelf vanaf (leeftijd)"
            ),
        ),
        migrations.AddField(
            model_name="regionsettings",
            name="consent_together_from_age",
            field=models.PositiveIntegerField(
                default=12, verbose_name="toestemming: samen met ouder of voogd vanaf (leeftijd)"
            ),
        ),
        migrations.AddField(
            model_name="regionsettings",
            name="quiet_case_days",
            field=models.PositiveIntegerField(
                default=21, verbose_name="casus zonder activiteit na (dagen)"
            ),
        ),
    ]
