"""The same rule as 0003_unused_indexes for the tables added since (identity providers,
calendar subscriptions, match registrations and signals, attendance, allauth's social
tables): no `_like` twins, and no foreign-key index that a unique constraint of the same
table already leads (docs/indexes.md)."""

from importlib import import_module

from django.db import migrations

earlier = import_module("meldpunt.migrations.0003_unused_indexes")

LIKE_TWINS = [
    (
        "accounts_identityprovider_key_95e5c235_like",
        "accounts_identityprovider",
        "(key varchar_pattern_ops)",
    ),
    (
        "workflow_meetingfeed_key_digest_5d7136f2_like",
        "workflow_meetingfeed",
        "(key_digest varchar_pattern_ops)",
    ),
    (
        "workflow_matchregistration_token_a15099c2_like",
        "workflow_matchregistration",
        "(token varchar_pattern_ops)",
    ),
]
LED_BY_A_UNIQUE_CONSTRAINT = [
    ("workflow_meeting_present_meeting_id_6a4f8fe7", "workflow_meeting_present", "(meeting_id)"),
    ("socialaccount_socialtoken_app_id_636a42d7", "socialaccount_socialtoken", "(app_id)"),
    (
        "workflow_matchsignal_registration_id_307990ed",
        "workflow_matchsignal",
        "(registration_id)",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("meldpunt", "0004_merge_0003_outbox_attachment_0003_unused_indexes"),
        ("accounts", "0008_merge_0007_identity_provider_0007_role_descriptions"),
        ("socialaccount", "0006_alter_socialaccount_extra_data"),
        ("workflow", "0026_merge_20261206_2106"),
    ]

    operations = [earlier.dropping(LIKE_TWINS + LED_BY_A_UNIQUE_CONSTRAINT)]
