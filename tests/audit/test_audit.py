"""The audit log core: one call writes a line; PostgreSQL refuses to change or remove one."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django_tenants.utils import schema_context, tenant_context

from audit.models import AuditAction, AuditEntry
from audit.services import record
from tenants.services.onboarding import onboard_region
from tests.conftest import TEST_PASSWORD


def refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(error.value)


def assert_append_only(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action=AuditAction.CHANGE)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert "append-only" in refused("TRUNCATE audit_auditentry")
    assert "append-only" in refused("UPDATE audit_auditentry SET object_id = 'x'")
    assert "append-only" in refused("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk, action=AuditAction.VIEW).exists()


def test_one_call_records_who_what_which_case_and_on_what_grounds(twente, make_user, rf):
    user = make_user(twente, "medewerker")
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    with tenant_context(twente):
        entry = record(
            AuditAction.VIEW, request=request, target=user, case_id="C-1", grounds="screening"
        )
        entry.refresh_from_db()
    assert entry.user_email == user.email
    assert entry.role == "medewerker"
    assert entry.ip_address == "192.0.2.7"
    assert entry.object_type == "accounts.User"
    assert (entry.case_id, entry.grounds) == ("C-1", "screening")
    assert entry.at is not None


def test_the_database_refuses_update_delete_and_truncate_in_a_region(twente, make_user):
    user = make_user(twente, "medewerker")
    with tenant_context(twente):
        entry = record(AuditAction.VIEW, user=user, target=user)
    # The trigger holds even for a role the privileges would let through (the owner's);
    # the region's own role is refused before (tests/audit/test_app_role.py).
    with schema_context(twente.schema_name):
        assert_append_only(entry)


def test_the_database_refuses_changes_in_a_freshly_cloned_region(db):
    region = onboard_region(
        slug="utrecht",
        name="Utrecht",
        domain="utrecht.localhost",
        admin_email="beheer@utrecht.test",
        invite_admin=False,
    ).region
    with tenant_context(region):
        entry = record(AuditAction.VIEW, detail={"test": True})
    with schema_context(region.schema_name):  # as the owner: the trigger itself
        assert_append_only(entry)


def test_the_database_refuses_changes_on_the_platform(db):
    connection.set_schema_to_public()
    assert_append_only(record(AuditAction.VIEW))


def test_sign_ins_and_failed_sign_ins_are_logged(twente, make_user, client_for):
    user = make_user(twente, "medewerker")
    client = client_for(twente)
    client.post(reverse("account_login"), {"login": user.email, "password": "fout"})
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    with tenant_context(twente):
        failed = AuditEntry.objects.get(
            action=AuditAction.LOGIN_FAILED, detail__poging_voor=user.email
        )
        assert failed.ip_address == "127.0.0.1"
        # the password step alone is no sign-in: the authenticator code still has to follow
        assert not AuditEntry.objects.filter(action=AuditAction.LOGIN, user_id=user.pk).exists()
