"""The outbox moves from the case domain (workflow) to the project shell, so that the
platform's own mail (invitations, password links) needs no domain app. In a region's
schema the table is renamed with its rows, so nothing waiting is lost; in the public
schema, which never had one, it is created for the platform's mail. Delivery gains a
status, a next attempt time and a claim (see meldpunt/outbox.py)."""

import django.utils.timezone
from django.db import migrations, models

import meldpunt.encryption

OLD_TABLE = "workflow_outboxmessage"
NEW_TABLE = "meldpunt_outboxmessage"


def table_exists(schema_editor, table: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_name = %s)",
            [table],
        )
        return cursor.fetchone()[0]


def take_over_or_create(apps, schema_editor) -> None:
    if table_exists(schema_editor, OLD_TABLE):
        schema_editor.execute(f"ALTER TABLE {OLD_TABLE} RENAME TO {NEW_TABLE}")
    else:
        schema_editor.create_model(apps.get_model("meldpunt", "OutboxMessage"))


def give_back_or_drop(apps, schema_editor) -> None:
    if table_exists(schema_editor, "workflow_report"):  # a region's schema
        schema_editor.execute(f"ALTER TABLE {NEW_TABLE} RENAME TO {OLD_TABLE}")
    else:
        schema_editor.delete_model(apps.get_model("meldpunt", "OutboxMessage"))


class Migration(migrations.Migration):
    dependencies = [
        ("meldpunt", "0001_initial"),
        ("workflow", "0018_oversight_activity_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("to", meldpunt.encryption.EncryptedTextField()),
                        ("subject", models.CharField(max_length=200)),
                        ("body", meldpunt.encryption.EncryptedTextField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("last_error", models.CharField(blank=True, max_length=300)),
                    ],
                    options={"ordering": ["created_at", "id"]},
                ),
            ],
        ),
        migrations.RunPython(take_over_or_create, give_back_or_drop),
        migrations.AddField(
            model_name="outboxmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("waiting", "wacht"),
                    ("sending", "wordt verstuurd"),
                    ("sent", "verstuurd"),
                    ("failed", "mislukt"),
                ],
                default="waiting",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(
            "UPDATE meldpunt_outboxmessage SET status = 'sent' WHERE sent_at IS NOT NULL",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(("status__in", ["waiting", "sending"])),
                fields=["next_attempt_at", "id"],
                name="outbox_due",
            ),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(("status", "failed")),
                fields=["status"],
                name="outbox_failed",
            ),
        ),
    ]
