"""Consent per person and purpose; referrals with what they share, their basis and the
partner's decision; portal answers and reminders on information requests; notification
preferences. Referrals recorded before were recorded once done: they read as accepted."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import meldpunt.encryption


def earlier_referrals_were_accepted(apps, schema_editor) -> None:
    referral = apps.get_model("workflow", "Referral")
    for item in referral.objects.all():
        item.status, item.decided_at = "geaccepteerd", item.recorded_at
        item.legal_basis = "anders"
        item.legal_basis_text = (
            "Vastgelegd voordat toestemming per doorverwijzing werd geregistreerd."
        )
        item.save(update_fields=["status", "decided_at", "legal_basis", "legal_basis_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0015_remove_reoffending_view"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="informationrequest",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="laatst herinnerd op"),
        ),
        migrations.AddField(
            model_name="referral",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="besloten op"),
        ),
        migrations.AddField(
            model_name="referral",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="decided_via",
            field=models.CharField(
                blank=True,
                choices=[
                    ("telefoon", "telefonisch"),
                    ("email", "per e-mail"),
                    ("overleg", "in een overleg"),
                    ("portaal", "in het partnerportaal"),
                ],
                max_length=10,
                verbose_name="besluit ontvangen",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="decline_reason",
            field=meldpunt.encryption.EncryptedTextField(
                blank=True, verbose_name="reden van afwijzing"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="help",
            field=models.CharField(
                choices=[
                    ("ambulant", "gespecialiseerde ambulante hulp"),
                    ("residentieel", "residentiële hulp (opvang, behandeling)"),
                    ("anders", "andere hulp"),
                ],
                default="ambulant",
                max_length=20,
                verbose_name="soort hulp",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="legal_basis",
            field=models.CharField(
                choices=[
                    ("convenant", "het convenant"),
                    ("toestemming", "toestemming van de betrokkene"),
                    ("wettelijke_taak", "een wettelijke taak"),
                    ("anders", "een andere grondslag (toegelicht)"),
                ],
                default="toestemming",
                max_length=20,
                verbose_name="grondslag",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="legal_basis_text",
            field=meldpunt.encryption.EncryptedTextField(
                blank=True, verbose_name="toelichting op de grondslag"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="persons",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="workflow.involvedperson",
                verbose_name="betrokkenen",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="laatst herinnerd op"),
        ),
        migrations.AddField(
            model_name="referral",
            name="shared_fields",
            field=models.JSONField(blank=True, default=list, verbose_name="gedeelde gegevens"),
        ),
        migrations.AddField(
            model_name="referral",
            name="status",
            field=models.CharField(
                choices=[
                    ("voorgesteld", "voorgesteld, wacht op de partner"),
                    ("geaccepteerd", "geaccepteerd"),
                    ("afgewezen", "afgewezen"),
                ],
                default="voorgesteld",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="Consent",
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
                    "purpose",
                    models.CharField(
                        choices=[
                            ("informatie_delen", "informatie delen met een partner"),
                            ("doorverwijzing", "doorverwijzen naar een partner"),
                        ],
                        max_length=20,
                        verbose_name="waarvoor",
                    ),
                ),
                (
                    "given_by",
                    models.CharField(
                        choices=[
                            ("betrokkene", "de betrokkene zelf"),
                            ("samen", "de betrokkene samen met een ouder of voogd"),
                            ("ouder_voogd", "een ouder of voogd"),
                        ],
                        max_length=20,
                        verbose_name="gegeven door",
                    ),
                ),
                ("given_on", models.DateField(verbose_name="gegeven op")),
                ("scope", meldpunt.encryption.EncryptedTextField(verbose_name="voor wat precies")),
                (
                    "withdrawn_on",
                    models.DateField(blank=True, null=True, verbose_name="ingetrokken op"),
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
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consents",
                        to="workflow.involvedperson",
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
            ],
            options={
                "verbose_name": "toestemming",
                "verbose_name_plural": "toestemmingen",
                "ordering": ["recorded_at", "id"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="consents",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="workflow.consent", verbose_name="toestemmingen"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="consents",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="workflow.consent", verbose_name="toestemmingen"
            ),
        ),
        migrations.CreateModel(
            name="NotificationSetting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[
                            ("direct", "direct"),
                            ("dagelijks", "één keer per dag"),
                            ("nooit", "geen e-mail"),
                        ],
                        default="dagelijks",
                        max_length=10,
                        verbose_name="e-mail over werk dat op mij wacht",
                    ),
                ),
                ("last_sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_setting",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "meldingsvoorkeur",
                "verbose_name_plural": "meldingsvoorkeuren",
            },
        ),
        migrations.AddField(
            model_name="referral",
            name="answer_by",
            field=models.DateField(blank=True, null=True, verbose_name="antwoord gevraagd voor"),
        ),
        migrations.RunPython(earlier_referrals_were_accepted, migrations.RunPython.noop),
    ]
