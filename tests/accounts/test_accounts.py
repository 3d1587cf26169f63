"""Regional user administration and the invitation flow."""

import re

import pyotp
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from accounts.models import Role
from audit.models import AuditAction, AuditEntry
from meldpunt.outbox import deliver_pending
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "Een-heel-goed-wachtwoord-2026"


def invitation_path(body: str) -> str:
    return re.search(r"http://[^/\s]+(/accounts/password/reset/key/\S+)", body).group(1)


def role_pk(region, code: str) -> str:
    with tenant_context(region):
        return str(Role.objects.get(code=code).pk)


def test_invited_user_sets_password_then_mfa_then_reaches_the_dashboard(
    twente, logged_in, client_for
):
    admin = logged_in(twente, "regiobeheerder")
    response = admin.post(
        reverse("users:invite"),
        {
            "email": "Nieuw@Twente.test",
            "full_name": "Nieuwe Collega",
            "roles": [role_pk(twente, "analist")],
        },
    )
    assert response.status_code == 302, response.content.decode()
    with tenant_context(twente):
        deliver_pending()  # what the worker does after the commit
    (invitation,) = [message for message in mail.outbox if message.to == ["nieuw@twente.test"]]
    path = invitation_path(invitation.body)

    newcomer = client_for(twente)
    form_page = newcomer.get(path, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = newcomer.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    login = newcomer.post(
        reverse("account_login"), {"login": "nieuw@twente.test", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert newcomer.get("/").url == reverse("mfa_activate_totp")
    setup = newcomer.get(reverse("mfa_activate_totp"))
    secret = re.search(
        r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', setup.content.decode()
    ).group(1)
    activated = newcomer.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert activated.status_code == 302
    assert newcomer.get("/").status_code == 200


def test_invite_form_keeps_input_and_explains_errors_in_dutch(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    response = admin.post(reverse("users:invite"), {"email": "geen-adres", "full_name": "Piet"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul een geldig e-mailadres in." in body
    assert "Kies minstens één rol." in body
    assert 'value="geen-adres"' in body and 'value="Piet"' in body
    assert 'href="#id_email"' in body  # error summary links to the field


def test_inviting_an_existing_address_is_refused(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    response = admin.post(
        reverse("users:invite"),
        {"email": admin.user.email, "roles": [role_pk(twente, "analist")]},
    )
    assert response.status_code == 400
    assert "Er bestaat al een account met dit e-mailadres." in response.content.decode()


def test_only_the_regional_admin_manages_users(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    assert staff.get(reverse("users:list")).status_code == 403


def test_roles_change_and_deactivation_are_audited(twente, logged_in, make_user):
    admin = logged_in(twente, "regiobeheerder")
    colleague = make_user(twente, "medewerker")
    admin.post(reverse("users:edit", args=[colleague.pk]), {"roles": [role_pk(twente, "analist")]})
    admin.post(reverse("users:edit", args=[colleague.pk]), {"deactivate": "1"})
    with tenant_context(twente):
        colleague.refresh_from_db()
        assert not colleague.is_active
        assert set(colleague.role_codes()) == {"analist"}
        changes = AuditEntry.objects.filter(action=AuditAction.CHANGE, object_id=str(colleague.pk))
        assert changes.count() == 2


def test_the_user_list_query_count_does_not_grow_with_users(twente, logged_in, make_user):
    admin = logged_in(twente, "regiobeheerder")
    admin.get(reverse("users:list"))  # the first request caches the host's region
    with CaptureQueriesContext(connection) as few:
        assert admin.get(reverse("users:list")).status_code == 200
    for _ in range(5):
        make_user(twente, "medewerker", "analist")
    with CaptureQueriesContext(connection) as many:
        assert admin.get(reverse("users:list")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(twente, make_user, client_for):
    user = make_user(twente, "analist")
    attacker = client_for(twente)

    def attempt(client, password: str, address: str = "127.0.0.1"):
        return client.post(
            reverse("account_login"),
            {"login": user.email, "password": password},
            REMOTE_ADDR=address,
        )

    for n in range(5):
        assert attempt(attacker, f"fout-wachtwoord-{n}", "10.6.6.6").status_code != 302
    held_back = attempt(attacker, TEST_PASSWORD, "10.6.6.6")
    assert held_back.status_code != 302  # even the right password: this address waits
    assert attempt(client_for(twente), TEST_PASSWORD).status_code == 302  # the owner gets in


def test_the_password_reset_link_uses_the_configured_address_not_the_host_header(twente, make_user):
    user = make_user(twente, "analist")
    client = Client(HTTP_HOST="twente.localhost:6666")
    assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
    client.post(reverse("account_reset_password"), {"email": "niemand@twente.test"})
    with tenant_context(twente):
        assert deliver_pending() == 1  # no mail to an address without an account
    body = mail.outbox[-1].body
    assert "http://twente.localhost:8000/accounts/password/reset/key/" in body
    assert "6666" not in body


def run_in_region(region, callbacks) -> None:
    """On-commit callbacks where production runs them: at the request's commit, in its
    region (a finished test request has handed its connection back to public)."""
    with tenant_context(region):
        for callback in callbacks:
            callback()


def test_setting_up_and_failing_a_second_factor_are_audit_lines(
    twente, logged_in, make_user, client_for, django_capture_on_commit_callbacks
):
    newcomer = logged_in(twente, "analist", mfa=False)
    setup = newcomer.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', setup).group(1)
    with django_capture_on_commit_callbacks() as callbacks:
        newcomer.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    run_in_region(twente, callbacks)

    user = make_user(twente, "analist")
    client = client_for(twente)
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    with tenant_context(twente):
        added = AuditEntry.objects.filter(
            object_id=str(newcomer.user.pk), detail__wijziging="ingesteld"
        ).order_by("id")
        assert [line.detail["tweede_factor"] for line in added] == ["totp", "recovery_codes"]
        assert {line.user_id for line in added} == {newcomer.user.pk}
        failed = AuditEntry.objects.get(
            action=AuditAction.LOGIN_FAILED, detail__tweede_factor="totp"
        )
        assert failed.object_id == str(user.pk) and failed.detail["poging_voor"] == user.email


def test_new_recovery_codes_are_an_audit_line(
    twente, logged_in, django_capture_on_commit_callbacks
):
    staff = logged_in(twente, "analist")
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff.post(reverse("mfa_generate_recovery_codes"))
    run_in_region(twente, callbacks)
    assert response.status_code == 302
    with tenant_context(twente):
        (line,) = AuditEntry.objects.filter(
            object_id=str(staff.user.pk), detail__tweede_factor="recovery_codes"
        )
        assert line.detail["wijziging"] == "vernieuwd" and line.user_id == staff.user.pk
