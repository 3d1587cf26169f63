"""Indexes of 0018 that no query uses any more (docs/indexes.md): `(recorded_at, casus)` on
the records and `(sent_at, casus)` on the messages with the reporter served process
oversight's scan for quiet cases, which now reads `Casus.last_activity_at`. A case's
records are found through the casus index; only the kinds the statistics count per
period (evaluations, information requests, reports, step changes, CoMensha registrations)
keep a date index. A region has nine relations fewer for it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0026_merge_20261206_2106"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="casedocument",
            name="casedocument_recorded_at",
        ),
        migrations.RemoveIndex(
            model_name="consent",
            name="consent_recorded_at",
        ),
        migrations.RemoveIndex(
            model_name="feedback",
            name="feedback_recorded_at",
        ),
        migrations.RemoveIndex(
            model_name="journalentry",
            name="journalentry_recorded_at",
        ),
        migrations.RemoveIndex(
            model_name="planofapproach",
            name="planofapproach_recorded_at",
        ),
        migrations.RemoveIndex(
            model_name="referral",
            name="referral_recorded_at",
        ),
        migrations.RemoveIndex(
            model_name="reportermessage",
            name="reportermessage_sent_at",
        ),
        migrations.RemoveIndex(
            model_name="riskassessment",
            name="riskassessment_recorded_at",
        ),
        migrations.RemoveIndex(
            model_name="screeningoutcome",
            name="screeningoutcome_recorded_at",
        ),
    ]
