"""Onboarding a region: one service behind the screen and the command."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists, tenant_context

from accounts.models import User
from audit.models import AuditAction, AuditEntry
from audit.services import FREE_TEXT
from meldpunt.models import OutboxMessage
from meldpunt.outbox import deliver_pending
from tenants.models import Domain, Region, Suspension
from tenants.services import onboarding


def onboard_utrecht(**overrides):
    arguments = {
        "slug": "utrecht",
        "name": "Utrecht",
        "domain": "utrecht.localhost",
        "admin_email": "beheer@utrecht.test",
        "preset": "basis",
    }
    return onboarding.onboard_region(**(arguments | overrides))


def trigger_names(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = 'audit_auditentry'",
            [schema],
        )
        return {row[0] for row in cursor.fetchall()}


def test_onboarding_creates_schema_domain_and_invited_admin(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = onboard_utrecht()
    assert result.created
    region = Region.objects.get(slug="utrecht")
    assert region.get_primary_domain().domain == "utrecht.localhost"
    assert schema_exists("utrecht")
    # cloned from the template: the append-only and chain triggers came along
    assert trigger_names("utrecht") == {
        "audit_auditentry_no_update_delete",
        "audit_auditentry_no_truncate",
        "audit_auditentry_chain",
    }
    with tenant_context(region):
        admin = User.objects.get(email="beheer@utrecht.test")
        assert set(admin.role_codes()) == {"regiobeheerder"}
        assert not admin.has_usable_password()
        assert deliver_pending() == 1  # the invitation waited in the region's outbox
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["beheer@utrecht.test"]
    assert "http://utrecht.localhost:8000/accounts/password/reset/key/" in message.body


def test_onboarding_is_idempotent_on_the_slug(db):
    first = onboard_utrecht()
    again = onboard_utrecht(name="Utrecht (nogmaals)")
    assert first.created and not again.created
    assert again.region.pk == first.region.pk
    assert Region.objects.filter(slug="utrecht").count() == 1
    assert Region.objects.get(slug="utrecht").name == "Utrecht"


def test_a_duplicate_domain_is_refused_with_a_clear_message(twente):
    with pytest.raises(onboarding.OnboardingError) as refused:
        onboard_utrecht(domain="twente.localhost")
    assert refused.value.message_dict["domain"] == [
        "Het domein twente.localhost is al in gebruik door Twente."
    ]
    assert not Region.objects.filter(slug="utrecht").exists()
    assert not schema_exists("utrecht")


def test_all_problems_of_a_request_are_listed_at_once(db):
    with pytest.raises(onboarding.OnboardingError) as refused:
        onboard_utrecht(
            slug="X!", name=" ", domain="geen domein", admin_email="nee", preset="onbekend"
        )
    assert set(refused.value.message_dict) == {"slug", "name", "domain", "admin_email", "preset"}


def test_a_failure_midway_leaves_no_region_domain_or_schema(db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("mail server exploded while creating the admin")

    monkeypatch.setattr(onboarding.account_services, "invite_user", fail)
    with pytest.raises(RuntimeError):
        onboard_utrecht()
    assert not Region.objects.filter(slug="utrecht").exists()
    assert not Domain.objects.filter(domain="utrecht.localhost").exists()
    assert not schema_exists("utrecht")


def test_the_command_onboards_and_reports_problems_in_dutch(db, capsys):
    call_command(
        "onboard_region",
        "--slug=utrecht",
        "--name=Utrecht",
        "--admin-email=beheer@utrecht.test",
        "--preset=twente",
    )
    assert "Regio Utrecht aangesloten" in capsys.readouterr().out
    region = Region.objects.get(slug="utrecht")
    assert region.preset == "twente"
    assert region.get_primary_domain().domain == "utrecht.localhost"
    with pytest.raises(CommandError, match="al in gebruik door Utrecht"):
        call_command(
            "onboard_region",
            "--slug=amersfoort",
            "--name=Amersfoort",
            "--domain=utrecht.localhost",
            "--admin-email=beheer@amersfoort.test",
        )


def test_the_screen_onboards_a_region(national_client):
    response = national_client.post(
        "/regios/nieuw/",
        {
            "name": "Utrecht",
            "slug": "utrecht",
            "domain": "",
            "preset": "basis",
            "admin_email": "beheer@utrecht.test",
        },
    )
    assert response.status_code == 302
    assert Region.objects.get(slug="utrecht").get_primary_domain().domain == "utrecht.localhost"


def test_the_screen_keeps_the_input_and_explains_a_duplicate_domain(national_client, twente):
    response = national_client.post(
        "/regios/nieuw/",
        {
            "name": "Utrecht",
            "slug": "utrecht",
            "domain": "twente.localhost",
            "preset": "basis",
            "admin_email": "beheer@utrecht.test",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Het domein twente.localhost is al in gebruik door Twente." in body
    assert 'value="beheer@utrecht.test"' in body and 'value="Utrecht"' in body


REASON = "Klacht van Jan Jansen over een datalek; onderzoek loopt."


def outbox_of(region: Region) -> list[OutboxMessage]:
    with tenant_context(region):
        return list(OutboxMessage.objects.order_by("pk"))


def test_suspending_asks_a_reason_and_keeps_what_was_typed(national_client, twente):
    page = national_client.get(f"/regios/{twente.slug}/opschorten/")
    assert page.status_code == 200
    assert "Twente opschorten" in page.content.decode()

    empty = national_client.post(f"/regios/{twente.slug}/opschorten/", {"reason": "  "})
    assert empty.status_code == 400
    assert "Vul de reden in." in empty.content.decode()
    too_long = national_client.post(f"/regios/{twente.slug}/opschorten/", {"reason": "x" * 1001})
    assert too_long.status_code == 400
    body = too_long.content.decode()
    assert "Gebruik ten hoogste 1000 tekens (nu 1001)." in body and "x" * 1001 in body
    twente.refresh_from_db()
    assert not twente.is_suspended and not Suspension.objects.exists()
    assert outbox_of(twente) == []


def test_a_suspension_is_audited_with_an_encrypted_reason_and_told_to_the_admins(
    national_client, twente
):
    with tenant_context(twente):
        admins = {user.email for user in User.objects.active_with_roles("regiobeheerder")}
    assert admins

    response = national_client.post(f"/regios/{twente.slug}/opschorten/", {"reason": REASON})
    assert response.status_code == 302
    twente.refresh_from_db()
    assert twente.is_suspended and twente.suspended_at is not None

    suspension = Suspension.objects.get(region=twente)
    assert suspension.suspended and suspension.reason == REASON
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM tenants_suspension WHERE id = %s", [suspension.pk])
        assert "Jansen" not in cursor.fetchone()[0]
    line = AuditEntry.objects.filter(
        object_type="tenants.Region", object_id=str(twente.pk), action=AuditAction.CHANGE
    ).latest("pk")
    assert line.user_id == national_client.user.pk
    assert line.detail == {"opgeschort": True, "opschorting": suspension.pk, "reden": FREE_TEXT}

    mails = outbox_of(twente)
    assert {mail.to for mail in mails} == admins
    assert all(mail.subject == "Meldpunt Twente is opgeschort" for mail in mails)
    assert all("Jansen" not in mail.body and "opgeschort" in mail.body for mail in mails)

    national_client.post(f"/regios/{twente.slug}/heractiveren/", {"reason": "Onderzoek afgerond."})
    twente.refresh_from_db()
    assert not twente.is_suspended and twente.suspended_at is None
    assert Suspension.objects.filter(region=twente).first().reason == "Onderzoek afgerond."
    reactivated = [mail for mail in outbox_of(twente) if mail not in mails]
    assert {mail.subject for mail in reactivated} == {"Meldpunt Twente is weer actief"}


def test_a_second_tab_does_not_suspend_twice(national_client, twente):
    national_client.post(f"/regios/{twente.slug}/opschorten/", {"reason": REASON})
    again = national_client.post(f"/regios/{twente.slug}/opschorten/", {"reason": REASON})
    assert again.status_code == 302
    assert Suspension.objects.filter(region=twente).count() == 1


def test_region_staff_cannot_reach_the_national_pages(twente, logged_in):
    staff = logged_in(twente, "regiobeheerder")
    staff.defaults["HTTP_HOST"] = "localhost"
    response = staff.get("/regios/nieuw/")
    assert response.status_code == 302  # the session is unknown on the platform: to login


def test_the_region_list_query_count_does_not_grow(national_client, django_assert_max_num_queries):
    # Seven queries, each after its SET search_path: one of them counts the open role grants.
    with django_assert_max_num_queries(14):
        response = national_client.get("/")
    assert response.status_code == 200
    onboard_utrecht()
    onboard_utrecht(slug="zeeland", name="Zeeland", domain="zeeland.localhost")
    with django_assert_max_num_queries(14):
        response = national_client.get("/")
    assert "Zeeland" in response.content.decode()
