"""Personal data and every free text about a case are encrypted at rest, under keys of
the region's own; a key rotation re-encrypts a region and old tokens keep reading."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models
from django_tenants.utils import tenant_context

from meldpunt.encryption import ENCRYPTED_FIELDS, blind_index, decrypt, encrypt, is_current
from tests.factories import person, public_report
from workflow.models import InvolvedPerson, Report, StepTransition

# Text columns of the region schema that are not encrypted, each with the reason why.
NOT_ENCRYPTED = {
    "contenttypes.ContentType": {"app_label", "model"},  # Django's registry of models
    "auth.Permission": {"name", "codename"},  # Django's permission names
    "auth.Group": {"name"},
    "sessions.Session": {"session_key", "session_data"},  # data: accounts.sessions encrypts
    "account.EmailAddress": {"email"},  # staff accounts, not case data
    "account.EmailConfirmation": {"key"},
    "mfa.Authenticator": {"data"},  # its secrets: the MFA adapter encrypts them
    "accounts.Role": {"code", "name_nl", "name_en", "description_nl", "description_en"},
    "accounts.User": {"password", "email", "full_name"},  # staff; password is a hash
    "accounts.RoleGrant": {"decided_by_national_admin"},  # a national administrator's e-mail
    # An owner's label for a key, the key's first characters, and a keyed digest of it.
    "accounts.ApiToken": {"name", "prefix", "key_digest"},
    # The cache while Redis is down: hashed keys; counters, used TOTP codes, host lookups.
    "meldpunt.CacheFallbackEntry": {"cache_key", "value"},
    # Who did what: searchable metadata; personal values go into the encrypted `changes`.
    # chain_hash is a sha256 the database computes over the line (see audit.chain).
    "audit.AuditEntry": {
        "chain_hash",
        "user_email",
        "role",
        "on_behalf_of",
        "object_type",
        "object_id",
        "case_id",
        "person_id",
        "grounds",
        "detail",
    },
    # The region's configuration: about the work, never about a case or a person.
    "configuratie.WorkflowDefinition": {"name"},
    "configuratie.WorkflowStep": {
        "code",
        "name",
        "explanation",
        "deadline_days_by_priority",
        "responsible_role",
        "guards",
    },
    "configuratie.Priority": {"code", "name", "colour"},
    "configuratie.Partner": {"name", "participates_in"},
    "configuratie.PartnerContact": {"name", "email", "phone", "function"},  # professionals
    "configuratie.CatalogueEntry": {"code", "name", "text"},
    "configuratie.RiskQuestion": {"code", "text"},
    "configuratie.RiskLevel": {"level"},
    "configuratie.RegionSettings": {"configuration_name"},
    # Codes from the configuration, and keyed digests that reveal nothing by themselves.
    # ... and the other region's name of a warme overdracht (docs/transfer.md).
    "workflow.Casus": {
        "reference",
        "case_type",
        "closing_reason",
        "transferred_from",
        "transferred_to",
    },
    # A random token the platform's match table holds instead of the case (docs/matching.md).
    "workflow.MatchRegistration": {"token"},
    # Counts of a month: a CBS code, a figure's name and a category's code, never a person.
    "statistiek.MonthlyFigure": {"municipality", "figure", "code", "part"},
    "workflow.RiskAssessment": {"level", "computed_level"},  # the instrument's level names
    "workflow.InformationRequest": {"shared_fields"},  # which fields: codes, not their values
    "workflow.Referral": {"shared_fields"},  # which fields: codes, not their values
    "workflow.CaseDocument": {"content_type"},  # pdf, png, …: what the content was checked as
    "workflow.Evaluation": {"ratings"},  # {question code: ja/deels/nee/onbekend}, validated
    "workflow.Report": {"form_code", "channel", "signals", "follow_code", "follow_secret_hash"},
    "workflow.InvolvedPerson": {
        "name_index",
        "first_name_index",
        "last_name_index",
        "school_index",
    },
    # Fixed subjects, error kinds and codes; an attachment's fixed file name and type.
    "meldpunt.OutboxMessage": {"subject", "last_error", "attachment_name", "attachment_type"},
    "workflow.MeetingFeed": {"key_digest"},  # a keyed digest of a calendar subscription's secret
    # Privacy records: codes, counts and references; the notes and reasons are encrypted.
    "privacy.ClosingReasonRetention": {"closing_reason"},
    "privacy.DestructionRecord": {
        "case_reference",
        "report_code",
        "person_id",
        "destroyed",
        "basis",
    },
    "privacy.ReviewFinding": {"user_email", "role", "case_id", "detail"},  # as in the audit log
    "privacy.PrivacyRun": {"outcome"},  # counts of what a retention or review run handled
    # An organisation's sign-in settings, about no person or case; its secret is encrypted.
    "accounts.IdentityProvider": {"key", "name", "issuer", "client_id", "mfa_acr"},
    # allauth's social tables are never written: a region's providers are our own
    # accounts.IdentityProvider (secret encrypted), handed to allauth unsaved, and a
    # provider sign-in stores no account link or token (docs/identity-providers.md).
    "socialaccount.SocialApp": {
        "client_id",
        "key",
        "name",
        "provider",
        "provider_id",
        "secret",
        "settings",
    },
    "socialaccount.SocialAccount": {"extra_data", "provider", "uid"},
    "socialaccount.SocialToken": {"token", "token_secret"},
}


def test_every_free_text_field_of_the_region_schema_is_encrypted_or_explained():
    tenant_apps = {app.split(".")[-1] for app in settings.TENANT_APPS}
    unexplained = []
    for model in apps.get_models():
        if model._meta.app_label not in tenant_apps:
            continue
        for field in model._meta.concrete_fields:
            text = isinstance(field, models.CharField | models.TextField | models.JSONField)
            explained = field.name in NOT_ENCRYPTED.get(model._meta.label, set())
            if text and not (field.choices or isinstance(field, ENCRYPTED_FIELDS) or explained):
                unexplained.append(f"{model._meta.label}.{field.name}")
    assert unexplained == []


def raw(table: str, column: str, row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [row_id])
        return cursor.fetchone()[0]


def test_what_a_reporter_writes_is_stored_as_ciphertext(limburg):
    # Limburg's risicotaxatieformulier asks the risk questions; the intake refuses answers
    # to questions a form does not ask.
    with tenant_context(limburg):
        report = public_report(
            person("Sanne de Vries", school="Het Stedelijk"),
            form_code="risicotaxatieformulier",
            concern="Zij heeft een oudere vriend.",
            reporter_organisation="Jongerenwerk Oost",
            risk_answers={"uitbuiting": "ja"},
        ).report
        stored = raw("workflow_report", "concern", report.pk) + raw(
            "workflow_report", "reporter_organisation", report.pk
        )
        stored += raw("workflow_report", "risk_answers", report.pk)
        for value in ("oudere vriend", "Jongerenwerk", "uitbuiting"):
            assert value not in stored
        assert Report.objects.get(pk=report.pk).risk_answers == {"uitbuiting": "ja"}


def test_keys_are_the_regions_own(twente, limburg):
    with tenant_context(twente):
        token = encrypt("Sanne de Vries")
        twente_index = blind_index("Sanne de Vries")
    with tenant_context(limburg):
        assert blind_index("Sanne de Vries") != twente_index
        with pytest.raises(InvalidToken):
            decrypt(token)
    with tenant_context(twente):
        assert decrypt(token) == "Sanne de Vries"


def test_a_key_rotation_re_encrypts_a_region_and_old_tokens_still_read(twente, settings):
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    with tenant_context(twente):
        submitted = public_report(person("Noa Bakker"), concern="Geheime zorg")
        transition = StepTransition.objects.filter(casus=submitted.report.casus).first()
        transition.reason = "Een toelichting"
        transition.save()
        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
        before = raw("workflow_report", "concern", submitted.report.pk)
        assert not is_current(before)
        assert Report.objects.get(pk=submitted.report.pk).concern == "Geheime zorg"  # still reads

        call_command("reencrypt_region", schema="twente", stdout=open("/dev/null", "w"))  # noqa: SIM115

        after = raw("workflow_report", "concern", submitted.report.pk)
        assert after != before and is_current(after)
        settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # old key retired
        assert Report.objects.get(pk=submitted.report.pk).concern == "Geheime zorg"
        assert InvolvedPerson.objects.get(report=submitted.report).name == "Noa Bakker"
        assert StepTransition.objects.get(pk=transition.pk).reason == "Een toelichting"
