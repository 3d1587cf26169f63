"""Onboarding a region: one service behind the screen and the command."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists, tenant_context

from accounts.models import User
from meldpunt.outbox import deliver_pending
from tenants.models import Domain, Region
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


def test_national_admins_suspend_and_reactivate_regions(national_client, twente):
    national_client.post(f"/regios/{twente.slug}/opschorten/", {"suspend": "1"})
    twente.refresh_from_db()
    assert twente.is_suspended and twente.suspended_at is not None
    national_client.post(f"/regios/{twente.slug}/opschorten/", {"suspend": "0"})
    twente.refresh_from_db()
    assert not twente.is_suspended


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
