"""Indexes that no query of the platform can use, dropped from every schema (docs/indexes.md).

- PostgreSQL's `_like` twins that Django adds to every indexed or unique text column
  (`varchar_pattern_ops`): they serve only case-sensitive `LIKE 'prefix%'`
  (`__startswith`), which no query here makes; equality and uniqueness are served by
  the column's own index.
- The index of a foreign key whose column leads a unique constraint of the same table:
  the constraint's index serves every query on that column, and PostgreSQL's checks
  when a referenced row is deleted.

A region has fewer relations in the catalogue for it (tests/bench/onboarding.py prints
relations and MB per empty region). Each is dropped in the schema being migrated only
(never one of the same name further along the search path); going back creates them again.
"""

from django.db import migrations

# (index, table, columns): Django's names, the same in every schema.
LIKE_TWINS = [
    (
        "account_emailaddress_email_03be32b2_like",
        "account_emailaddress",
        "(email varchar_pattern_ops)",
    ),
    (
        "account_emailconfirmation_key_f43612bd_like",
        "account_emailconfirmation",
        "(key varchar_pattern_ops)",
    ),
    (
        "accounts_apitoken_key_digest_0a2e1a0c_like",
        "accounts_apitoken",
        "(key_digest varchar_pattern_ops)",
    ),
    ("accounts_role_code_31e05c3f_like", "accounts_role", "(code varchar_pattern_ops)"),
    ("accounts_user_email_b2644a56_like", "accounts_user", "(email varchar_pattern_ops)"),
    ("audit_auditentry_case_id_a5acea58_like", "audit_auditentry", "(case_id varchar_pattern_ops)"),
    ("auth_group_name_a6ea08ec_like", "auth_group", "(name varchar_pattern_ops)"),
    (
        "configuratie_catalogueentry_code_7fc4d176_like",
        "configuratie_catalogueentry",
        "(code varchar_pattern_ops)",
    ),
    (
        "configuratie_partner_name_f8fce3c1_like",
        "configuratie_partner",
        "(name varchar_pattern_ops)",
    ),
    (
        "configuratie_priority_code_0329760b_like",
        "configuratie_priority",
        "(code varchar_pattern_ops)",
    ),
    (
        "configuratie_regionmunicipality_code_8dca1b85_like",
        "configuratie_regionmunicipality",
        "(code varchar_pattern_ops)",
    ),
    (
        "configuratie_riskquestion_code_841e5b60_like",
        "configuratie_riskquestion",
        "(code varchar_pattern_ops)",
    ),
    (
        "configuratie_workflowstep_code_b1c0f40e_like",
        "configuratie_workflowstep",
        "(code varchar_pattern_ops)",
    ),
    (
        "django_session_session_key_c0390e0f_like",
        "django_session",
        "(session_key varchar_pattern_ops)",
    ),
    (
        "meldpunt_cache_fallback_cache_key_858d7ef1_like",
        "meldpunt_cache_fallback",
        "(cache_key varchar_pattern_ops)",
    ),
    (
        "privacy_closingreasonretention_closing_reason_ad1639a1_like",
        "privacy_closingreasonretention",
        "(closing_reason varchar_pattern_ops)",
    ),
    ("workflow_casus_reference_944c72fb_like", "workflow_casus", "(reference varchar_pattern_ops)"),
    (
        "workflow_involvedperson_first_name_index_5ddc6997_like",
        "workflow_involvedperson",
        "(first_name_index varchar_pattern_ops)",
    ),
    (
        "workflow_involvedperson_last_name_index_ef0eb6d0_like",
        "workflow_involvedperson",
        "(last_name_index varchar_pattern_ops)",
    ),
    (
        "workflow_involvedperson_municipality_bbffb4da_like",
        "workflow_involvedperson",
        "(municipality varchar_pattern_ops)",
    ),
    (
        "workflow_involvedperson_name_index_60a7cde9_like",
        "workflow_involvedperson",
        "(name_index varchar_pattern_ops)",
    ),
    (
        "workflow_involvedperson_school_index_9ceb750b_like",
        "workflow_involvedperson",
        "(school_index varchar_pattern_ops)",
    ),
    (
        "workflow_report_follow_code_81d51ef0_like",
        "workflow_report",
        "(follow_code varchar_pattern_ops)",
    ),
]
LED_BY_A_UNIQUE_CONSTRAINT = [
    ("account_emailaddress_user_id_2c513194", "account_emailaddress", "(user_id)"),
    ("accounts_user_roles_user_id_5c537963", "accounts_user_roles", "(user_id)"),
    ("auth_group_permissions_group_id_b120cbf9", "auth_group_permissions", "(group_id)"),
    ("auth_permission_content_type_id_2f476e4b", "auth_permission", "(content_type_id)"),
    (
        "configuratie_workflowstep_definition_id_b01d0955",
        "configuratie_workflowstep",
        "(definition_id)",
    ),
    (
        "configuratie_workflowstep__from_workflowstep_id_8d69ed33",
        "configuratie_workflowstep_next_steps",
        "(from_workflowstep_id)",
    ),
    (
        "statistiek_preventionactiv_preventionactivity_id_e8feb6e7",
        "statistiek_preventionactivity_partners",
        "(preventionactivity_id)",
    ),
    ("workflow_agendaitem_meeting_id_8d07dcf5", "workflow_agendaitem", "(meeting_id)"),
    ("workflow_caselink_casus_id_82bc196c", "workflow_caselink", "(casus_id)"),
    (
        "workflow_informationreques_informationrequest_id_d1b697d6",
        "workflow_informationrequest_consents",
        "(informationrequest_id)",
    ),
    (
        "workflow_informationreques_informationrequest_id_355049ee",
        "workflow_informationrequest_persons",
        "(informationrequest_id)",
    ),
    (
        "workflow_meeting_attendees_meeting_id_7cb1b5ea",
        "workflow_meeting_attendees",
        "(meeting_id)",
    ),
    ("workflow_planofapproach_casus_id_ef661781", "workflow_planofapproach", "(casus_id)"),
    (
        "workflow_referral_consents_referral_id_6a4ddd63",
        "workflow_referral_consents",
        "(referral_id)",
    ),
    (
        "workflow_referral_persons_referral_id_5524b361",
        "workflow_referral_persons",
        "(referral_id)",
    ),
]


def dropping(indexes: list[tuple[str, str, str]]) -> migrations.RunPython:
    """Drop `indexes` (index, table, columns) in the schema being migrated; going back
    creates them again. Later migrations drop the same kinds of index with it."""

    def drop(apps, schema_editor) -> None:
        schema = current_schema(schema_editor)
        for index, _table, _columns in indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{schema}"."{index}"')

    def create(apps, schema_editor) -> None:
        schema = current_schema(schema_editor)
        for index, table, columns in indexes:
            if table_exists(schema_editor, table):
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{index}" ON "{schema}"."{table}" {columns}'
                )

    return migrations.RunPython(drop, create, elidable=False)


def current_schema(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def table_exists(schema_editor, table: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_name = %s)",
            [table],
        )
        return cursor.fetchone()[0]


class Migration(migrations.Migration):
    dependencies = [
        ("meldpunt", "0002_outbox"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("sessions", "0001_initial"),
        ("accounts", "0006_api_token"),
        ("audit", "0007_chain"),
        ("configuratie", "0006_screening_team_access"),
        ("workflow", "0020_outbox_moved_to_meldpunt"),
        ("privacy", "0002_privacy_run"),
        ("statistiek", "0002_annual_report_job"),
    ]

    operations = [dropping(LIKE_TWINS + LED_BY_A_UNIQUE_CONSTRAINT)]
