"""Casework: the journal's kinds, the information round's shared persons and fields, legal
basis and answer dates, the risk assessment's computed and final level, plan versions
and actions, meetings with their agenda, external coordinators, linked cases and documents."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import meldpunt.encryption


class Migration(migrations.Migration):
    dependencies = [
        ("configuratie", "0003_meeting_access_window"),
        ("workflow", "0009_journal_and_plan_goals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AgendaItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="volgorde")),
                (
                    "minutes",
                    meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="verslag"),
                ),
                (
                    "decision",
                    meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="besluit"),
                ),
                (
                    "discussed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="besproken op"),
                ),
            ],
            options={
                "verbose_name": "agendapunt",
                "verbose_name_plural": "agendapunten",
                "ordering": ["position", "id"],
            },
        ),
        migrations.CreateModel(
            name="CaseDocument",
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
                ("title", meldpunt.encryption.EncryptedTextField(verbose_name="titel")),
                ("filename", meldpunt.encryption.EncryptedTextField(verbose_name="bestandsnaam")),
                ("content_type", models.CharField(max_length=100, verbose_name="soort bestand")),
                ("size", models.PositiveIntegerField(verbose_name="grootte in bytes")),
                ("content", meldpunt.encryption.EncryptedBinaryField(verbose_name="inhoud")),
            ],
            options={
                "verbose_name": "document",
                "verbose_name_plural": "documenten",
                "ordering": ["recorded_at", "id"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="CaseLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("slachtoffer_dader", "slachtoffer en dader"),
                            ("netwerk", "hetzelfde netwerk"),
                            ("anders", "anders"),
                        ],
                        max_length=20,
                        verbose_name="soort koppeling",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "gekoppelde casus",
                "verbose_name_plural": "gekoppelde casussen",
            },
        ),
        migrations.CreateModel(
            name="ExternalCoordinator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("professional", "een hulpverlener van een partner"),
                            ("melder", "de melder"),
                        ],
                        max_length=20,
                        verbose_name="wie",
                    ),
                ),
                ("name", meldpunt.encryption.EncryptedTextField(verbose_name="naam")),
                (
                    "organisation",
                    meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="organisatie"),
                ),
                (
                    "phone",
                    meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="telefoon"),
                ),
                (
                    "email",
                    meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="e-mailadres"),
                ),
            ],
            options={
                "verbose_name": "casuscoördinator zonder account",
                "verbose_name_plural": "casuscoördinatoren zonder account",
            },
        ),
        migrations.CreateModel(
            name="Meeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("screeningsteam", "Screeningsteam-overleg"),
                            ("casusoverleg", "Casusoverleg"),
                        ],
                        max_length=20,
                        verbose_name="soort overleg",
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="datum en tijd")),
                (
                    "location",
                    meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="plaats"),
                ),
                (
                    "closed_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="verslag vastgesteld op"
                    ),
                ),
            ],
            options={
                "verbose_name": "overleg",
                "verbose_name_plural": "overleggen",
                "ordering": ["-starts_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="MeetingGuest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", meldpunt.encryption.EncryptedTextField(verbose_name="naam")),
            ],
            options={
                "verbose_name": "gast",
                "verbose_name_plural": "gasten",
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="PlanAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="volgorde")),
                ("description", meldpunt.encryption.EncryptedTextField(verbose_name="actie")),
                (
                    "chain",
                    models.CharField(
                        choices=[("zorg", "zorg"), ("justitie", "justitie")],
                        max_length=10,
                        verbose_name="keten",
                    ),
                ),
                (
                    "owner_name",
                    meldpunt.encryption.EncryptedTextField(
                        blank=True, verbose_name="eigenaar (persoon)"
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="gereed voor")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "nog niet begonnen"),
                            ("lopend", "loopt"),
                            ("gereed", "gereed"),
                            ("geannuleerd", "geannuleerd"),
                        ],
                        default="open",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "outcome",
                    meldpunt.encryption.EncryptedTextField(blank=True, verbose_name="resultaat"),
                ),
            ],
            options={
                "verbose_name": "actie",
                "verbose_name_plural": "acties",
                "ordering": ["position", "id"],
            },
        ),
        migrations.RemoveField(
            model_name="caseconference",
            name="casus",
        ),
        migrations.RemoveField(
            model_name="caseconference",
            name="recorded_by",
        ),
        migrations.AlterModelOptions(
            name="journalentry",
            options={
                "ordering": ["recorded_at", "id"],
                "verbose_name": "journaalregel",
                "verbose_name_plural": "journaal",
            },
        ),
        migrations.AlterModelOptions(
            name="planofapproach",
            options={
                "ordering": ["recorded_at", "id"],
                "verbose_name": "plan van aanpak",
                "verbose_name_plural": "plannen van aanpak",
            },
        ),
        migrations.AddField(
            model_name="evaluation",
            name="reoffending_view",
            field=models.CharField(
                blank=True,
                choices=[
                    ("ja", "ja, er is zicht op recidive"),
                    ("nee", "nee, er is geen zicht op recidive"),
                    ("onbekend", "onbekend"),
                ],
                max_length=10,
                verbose_name="zicht op recidive",
            ),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="answer_by",
            field=models.DateField(blank=True, null=True, verbose_name="antwoord gevraagd voor"),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="beantwoord op"),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="answered_via",
            field=models.CharField(
                blank=True,
                choices=[
                    ("telefoon", "telefonisch"),
                    ("email", "per e-mail"),
                    ("overleg", "in een overleg"),
                    ("portaal", "in het partnerportaal"),
                ],
                max_length=10,
                verbose_name="antwoord ontvangen",
            ),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="close_reason",
            field=meldpunt.encryption.EncryptedTextField(
                blank=True, verbose_name="reden van sluiten"
            ),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="legal_basis",
            field=models.CharField(
                choices=[
                    ("convenant", "het convenant"),
                    ("toestemming", "toestemming van de betrokkene"),
                    ("wettelijke_taak", "een wettelijke taak"),
                    ("anders", "een andere grondslag (toegelicht)"),
                ],
                default="convenant",
                max_length=20,
                verbose_name="grondslag",
            ),
            preserve_default=False,  # requests before this migration were made under the covenant
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="legal_basis_text",
            field=meldpunt.encryption.EncryptedTextField(
                blank=True, verbose_name="toelichting op de grondslag"
            ),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="persons",
            field=models.ManyToManyField(
                related_name="+", to="workflow.involvedperson", verbose_name="gedeelde betrokkenen"
            ),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="shared_fields",
            field=models.JSONField(blank=True, default=list, verbose_name="gedeelde gegevens"),
        ),
        migrations.AddField(
            model_name="planofapproach",
            name="revision_reason",
            field=meldpunt.encryption.EncryptedTextField(
                blank=True, verbose_name="reden van herziening"
            ),
        ),
        migrations.AddField(
            model_name="planofapproach",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="versie"),
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="computed_level",
            field=models.CharField(default="", max_length=40, verbose_name="berekend niveau"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="deviation_reason",
            field=meldpunt.encryption.EncryptedTextField(
                blank=True, verbose_name="reden voor een ander niveau"
            ),
        ),
        migrations.AlterField(
            model_name="journalentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("notitie", "notitie"),
                    ("bron", "geraadpleegde bron"),
                    ("contact", "contact met de melder"),
                    ("partner", "contact met een partner"),
                ],
                default="notitie",
                max_length=10,
                verbose_name="soort",
            ),
        ),
        migrations.AlterField(
            model_name="planofapproach",
            name="goals",
            field=meldpunt.encryption.EncryptedTextField(verbose_name="doelen"),
        ),
        migrations.AddConstraint(
            model_name="planofapproach",
            constraint=models.UniqueConstraint(
                fields=("casus", "version"), name="one_plan_per_version"
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="casus",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="agenda_items",
                to="workflow.casus",
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="discussed_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="agenda_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="workflow.agendaitem",
            ),
        ),
        migrations.AddField(
            model_name="casedocument",
            name="casus",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="workflow.casus"
            ),
        ),
        migrations.AddField(
            model_name="casedocument",
            name="recorded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="caselink",
            name="casus",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="links",
                to="workflow.casus",
            ),
        ),
        migrations.AddField(
            model_name="caselink",
            name="created_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="caselink",
            name="linked",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="linked_from",
                to="workflow.casus",
            ),
        ),
        migrations.AddField(
            model_name="externalcoordinator",
            name="casus",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="external_coordinator",
                to="workflow.casus",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="attendees",
            field=models.ManyToManyField(
                blank=True,
                related_name="meetings",
                to=settings.AUTH_USER_MODEL,
                verbose_name="deelnemers",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="created_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="workflow.meeting",
            ),
        ),
        migrations.AddField(
            model_name="meetingguest",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="guests",
                to="workflow.meeting",
            ),
        ),
        migrations.AddField(
            model_name="meetingguest",
            name="partner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="configuratie.partner",
                verbose_name="organisatie",
            ),
        ),
        migrations.AddField(
            model_name="planaction",
            name="owner_partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="configuratie.partner",
            ),
        ),
        migrations.AddField(
            model_name="planaction",
            name="owner_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="planaction",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="actions",
                to="workflow.planofapproach",
            ),
        ),
        migrations.AddConstraint(
            model_name="caselink",
            constraint=models.UniqueConstraint(
                fields=("casus", "linked"), name="one_link_per_pair"
            ),
        ),
        migrations.AddConstraint(
            model_name="caselink",
            constraint=models.CheckConstraint(
                condition=models.Q(("casus", models.F("linked")), _negated=True),
                name="no_self_link",
            ),
        ),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.UniqueConstraint(
                fields=("meeting", "casus"), name="a_case_once_per_meeting"
            ),
        ),
    ]
