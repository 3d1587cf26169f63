"""Consent for registration with CoMensha, and the registrations: the fields CoMensha
asks, the consent each rests on, and when and by whom it was sent."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import meldpunt.encryption


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0021_transfer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="consent",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("informatie_delen", "informatie delen met een partner"),
                    ("doorverwijzing", "doorverwijzen naar een partner"),
                    ("overdracht", "overdragen aan een meldpunt in een andere regio"),
                    ("registratie_comensha", "registratie bij CoMensha"),
                ],
                max_length=20,
                verbose_name="waarvoor",
            ),
        ),
        migrations.CreateModel(
            name="ComenshaRegistration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="vastgelegd op"
                    ),
                ),
                (
                    "exploitation",
                    models.CharField(
                        choices=[
                            ("seksueel", "seksuele uitbuiting"),
                            ("arbeid", "arbeidsuitbuiting (overige arbeid)"),
                            ("crimineel", "criminele uitbuiting"),
                            ("organen", "orgaanhandel"),
                        ],
                        max_length=20,
                        verbose_name="vorm van uitbuiting",
                    ),
                ),
                (
                    "country_of_origin",
                    meldpunt.encryption.EncryptedTextField(verbose_name="land van herkomst"),
                ),
                ("age", models.PositiveSmallIntegerField(verbose_name="leeftijd")),
                (
                    "gender",
                    models.CharField(
                        choices=[("v", "vrouw of meisje"), ("m", "man of jongen"), ("x", "anders")],
                        max_length=1,
                        verbose_name="gender",
                    ),
                ),
                (
                    "identifying_organisation",
                    meldpunt.encryption.EncryptedTextField(verbose_name="signalerende organisatie"),
                ),
                (
                    "need",
                    models.CharField(
                        choices=[
                            ("registratie", "alleen registratie"),
                            ("opvang", "registratie en opvang"),
                            ("advies", "registratie, informatie en advies"),
                        ],
                        max_length=20,
                        verbose_name="behoefte",
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="verstuurd op"),
                ),
                (
                    "sent_note",
                    meldpunt.encryption.EncryptedTextField(
                        blank=True, verbose_name="toelichting bij het versturen"
                    ),
                ),
                (
                    "casus",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="workflow.casus",
                    ),
                ),
                (
                    "consent",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.RESTRICT,
                        related_name="+",
                        to="workflow.consent",
                        verbose_name="toestemming",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comensha_registrations",
                        to="workflow.involvedperson",
                        verbose_name="betrokkene",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="verstuurd door",
                    ),
                ),
            ],
            options={
                "verbose_name": "registratie bij CoMensha",
                "verbose_name_plural": "registraties bij CoMensha",
                "ordering": ["recorded_at", "id"],
                "abstract": False,
                "indexes": [
                    models.Index(fields=["recorded_at", "casus"], name="comensha_recorded_at"),
                    models.Index(fields=["sent_at"], name="comensha_sent_at"),
                ],
            },
        ),
    ]
