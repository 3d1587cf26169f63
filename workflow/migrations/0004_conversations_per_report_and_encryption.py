"""Every free text about a case encrypted; a reporter's feedback and messages on their own
report; name parts indexed for search. Schema part: columns added and retyped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import meldpunt.encryption


class Migration(migrations.Migration):
    dependencies = [
        ("configuratie", "0001_initial"),
        ("workflow", "0003_screening_notes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="report",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="feedback",
                to="workflow.report",
            ),
        ),
        migrations.AddField(
            model_name="involvedperson",
            name="first_name_index",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="involvedperson",
            name="last_name_index",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="reportermessage",
            name="report",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="messages",
                to="workflow.report",
            ),
        ),
        migrations.AlterField(
            model_name="caseconference",
            name="notes",
            field=meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="verslag"),
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="answers",
            field=meldpunt.encryption.EncryptedJSONField(default=dict, verbose_name="antwoorden"),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="text",
            field=meldpunt.encryption.EncryptedTextField(verbose_name="terugkoppeling"),
        ),
        migrations.AlterField(
            model_name="informationrequest",
            name="answer",
            field=meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="antwoord"),
        ),
        migrations.AlterField(
            model_name="informationrequest",
            name="question",
            field=meldpunt.encryption.EncryptedTextField(verbose_name="vraag"),
        ),
        migrations.AlterField(
            model_name="involvedperson",
            name="birth_year",
            field=models.PositiveSmallIntegerField(
                blank=True, db_index=True, null=True, verbose_name="geboortejaar"
            ),
        ),
        migrations.AlterField(
            model_name="planofapproach",
            name="summary",
            field=meldpunt.encryption.EncryptedTextField(verbose_name="plan van aanpak"),
        ),
        migrations.AlterField(
            model_name="referral",
            name="notes",
            field=meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="toelichting"),
        ),
        migrations.AlterField(
            model_name="report",
            name="reporter_organisation",
            field=meldpunt.encryption.EncryptedTextField(
                blank=True, verbose_name="organisatie van de melder"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="risk_answers",
            field=meldpunt.encryption.EncryptedJSONField(
                blank=True, default=dict, verbose_name="antwoorden risicotaxatieformulier"
            ),
        ),
        migrations.AlterField(
            model_name="riskassessment",
            name="answers",
            field=meldpunt.encryption.EncryptedJSONField(default=dict, verbose_name="antwoorden"),
        ),
        migrations.AlterField(
            model_name="screeningoutcome",
            name="advice",
            field=meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="advies"),
        ),
        migrations.AlterField(
            model_name="steptransition",
            name="reason",
            field=meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="toelichting"),
        ),
    ]
