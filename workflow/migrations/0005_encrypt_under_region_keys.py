"""Stored values brought under keys of the region's own, gender as a choice, and each
conversation given to its report (before, a case had one conversation: its first report's)."""

from django.db import connection, migrations
from psycopg2 import sql

from meldpunt.encryption import decrypt
from meldpunt.encryption_maintenance import encrypt_columns

ENCRYPTED = {
    "workflow_steptransition": ["reason"],
    "workflow_screeningoutcome": ["advice"],
    "workflow_feedback": ["text"],
    "workflow_informationrequest": ["question", "answer"],
    "workflow_riskassessment": ["answers"],
    "workflow_planofapproach": ["summary"],
    "workflow_caseconference": ["notes"],
    "workflow_referral": ["notes"],
    "workflow_evaluation": ["answers"],
    "workflow_report": [
        "reporter_organisation",
        "reporter_name",
        "reporter_email",
        "reporter_phone",
        "concern",
        "risk_answers",
    ],
    "workflow_involvedperson": ["name", "school"],
    "workflow_outboxmessage": ["to", "body"],
    "workflow_reportermessage": ["text"],
    "workflow_screeningnote": ["text"],
}
GENDERS = {
    "v": ("v", "f", "vrouw", "meisje", "female", "girl"),
    "m": ("m", "man", "jongen", "male", "boy"),
}


def encrypt_under_region_keys(apps, schema_editor) -> None:
    for table, columns in ENCRYPTED.items():
        encrypt_columns(table, columns)


def index_names_under_region_key(apps, schema_editor) -> None:
    from meldpunt.encryption import blind_index
    from workflow.models import name_part_indexes

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, school FROM workflow_involvedperson")
        for person_id, name, school in cursor.fetchall():
            name, school = (decrypt(name) if name else ""), (decrypt(school) if school else "")
            first, last = name_part_indexes(name)
            cursor.execute(
                "UPDATE workflow_involvedperson SET name_index = %s, first_name_index = %s, "
                "last_name_index = %s, school_index = %s WHERE id = %s",
                [blind_index(name), first, last, blind_index(school), person_id],
            )


def conversations_to_first_report(apps, schema_editor) -> None:
    """Before this migration a case had one conversation; it belonged to its first report."""
    first_report = sql.SQL(
        "UPDATE {} AS item SET report_id = (SELECT report.id FROM workflow_report AS report "
        "WHERE report.casus_id = item.casus_id ORDER BY report.submitted_at, report.id LIMIT 1) "
        "WHERE item.report_id IS NULL"
    )
    with connection.cursor() as cursor:
        for table in ("workflow_feedback", "workflow_reportermessage"):
            cursor.execute(first_report.format(sql.Identifier(table)))


def gender_as_choice(apps, schema_editor) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, gender FROM workflow_involvedperson WHERE gender <> ''")
        for person_id, gender in cursor.fetchall():
            text = gender.strip().lower()
            code = next((code for code, words in GENDERS.items() if text in words), "x")
            cursor.execute(
                "UPDATE workflow_involvedperson SET gender = %s WHERE id = %s", [code, person_id]
            )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0004_conversations_per_report_and_encryption")]

    operations = [
        migrations.RunPython(gender_as_choice, migrations.RunPython.noop),
        migrations.RunPython(encrypt_under_region_keys, migrations.RunPython.noop),
        migrations.RunPython(index_names_under_region_key, migrations.RunPython.noop),
        migrations.RunPython(conversations_to_first_report, migrations.RunPython.noop),
    ]
