"""Audit lines are kept at least five years and then removed through one narrow path:
a database function, in every schema including a freshly cloned region, callable by
an application role that may not DELETE, while an ordinary DELETE still fails."""

import pytest
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context, tenant_context

from audit.models import AuditAction, AuditEntry
from audit.services import record
from privacy.models import DestructionRecord, Rule
from privacy.services.destruction import remove_expired_audit_lines
from tenants.services.onboarding import onboard_region
from tests.audit.backdating import insert_backdated


def old_line(years: float, marker: str) -> int:
    return insert_backdated(
        "INSERT INTO audit_auditentry (at, user_email, role, on_behalf_of, action,"
        " object_type, object_id, case_id, person_id, grounds, detail)"
        " VALUES (now() - make_interval(days => %s), '', '', '', 'view', '', '', %s, '', '', '{}')"
        " RETURNING id",
        [int(years * 365.25), marker],
    )[0][0]


def refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(error.value)


@pytest.fixture
def fresh_region(db):
    """A region onboarded in the test (cloned from the template schema)."""
    return onboard_region(
        slug="gelderland",
        name="Gelderland",
        domain="gelderland.localhost",
        admin_email="beheer@gelderland.test",
        invite_admin=False,
    ).region


def test_only_lines_older_than_the_period_are_removed_with_a_record(fresh_region, settings):
    settings.AUDIT_RETENTION_MONTHS = 72
    with tenant_context(fresh_region):
        expired = old_line(6.5, "oud")
        kept = old_line(5.5, "bewaren")
        recent = record(AuditAction.VIEW, detail={"nieuw": True}).pk
        assert "permission denied" in refused(
            "DELETE FROM audit_auditentry WHERE id = %s", [expired]
        )
        with schema_context(fresh_region.schema_name):  # as the owner: the trigger refuses
            assert "append-only" in refused("DELETE FROM audit_auditentry WHERE id = %s", [expired])

        made = remove_expired_audit_lines()

        remaining = set(AuditEntry.objects.values_list("pk", flat=True))
        assert expired not in remaining and {kept, recent} <= remaining
        assert (made.rule, made.destroyed) == (Rule.AUDIT_RETENTION, {"audit.AuditEntry": 1})
        by_database = AuditEntry.objects.get(action=AuditAction.DESTROY, role="database")
        assert by_database.detail["verwijderd"] == 1 and by_database.detail["maanden"] == 72
        assert AuditEntry.objects.filter(
            action=AuditAction.DESTROY, object_type="privacy.DestructionRecord"
        ).exists()
        assert remove_expired_audit_lines() is None  # nothing more to remove
        assert DestructionRecord.objects.count() == 1


def test_the_function_refuses_less_than_five_years(fresh_region):
    with tenant_context(fresh_region):
        old_line(10, "heel oud")
        assert "at least 60 months" in refused("SELECT audit_remove_expired(59)")
        assert AuditEntry.objects.filter(case_id="heel oud").exists()


def test_a_forged_flag_opens_no_way_to_recent_lines(fresh_region):
    # As the owner, whom privileges do not stop: only the trigger does.
    with schema_context(fresh_region.schema_name):
        recent = old_line(4, "recent")
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT set_config('meldpunt.audit_removal', 'on', true)")
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [recent])
        assert "append-only" in refused("TRUNCATE audit_auditentry")
        assert "append-only" in refused("UPDATE audit_auditentry SET case_id = 'x'")


def test_an_application_role_without_delete_can_only_use_the_function(fresh_region):
    """What the region's own role (the app role acting in the region) has on the log:
    SELECT and INSERT, no DELETE; the function removes what has expired."""
    with tenant_context(fresh_region):
        expired = old_line(7, "oud")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == fresh_region.database_role
        assert "permission denied" in refused(
            "DELETE FROM audit_auditentry WHERE id = %s", [expired]
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_remove_expired(60)")
            assert cursor.fetchone()[0] == 1
        assert not AuditEntry.objects.filter(pk=expired).exists()


def test_every_region_has_its_own_function_on_its_own_table(twente, limburg):
    with tenant_context(limburg):
        in_limburg = old_line(8, "limburg")
    with tenant_context(twente):
        in_twente = old_line(8, "twente")
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_remove_expired(60)")
        assert not AuditEntry.objects.filter(pk=in_twente).exists()
    with tenant_context(limburg):
        assert AuditEntry.objects.filter(pk=in_limburg).exists()
