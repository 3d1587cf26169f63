"""One schema per region: accounts, sessions and access never cross a region's border."""

import pyotp
from django.urls import reverse
from django_tenants.utils import schema_exists, tenant_context

from accounts.models import User
from tenants.services.onboarding import set_suspended
from tests.conftest import TEST_PASSWORD


def test_each_region_has_its_own_schema(twente, limburg):
    assert schema_exists("twente") and schema_exists("limburg")
    assert twente.schema_name != limburg.schema_name


def test_an_account_of_one_region_does_not_exist_in_another(twente, limburg, make_user):
    user = make_user(twente, "medewerker")
    with tenant_context(twente):
        assert User.objects.filter(email=user.email).exists()
    with tenant_context(limburg):
        assert not User.objects.filter(email=user.email).exists()
    assert not User.objects.filter(email=user.email).exists()  # nor in the public schema


def test_the_same_credentials_get_nothing_in_another_region(twente, limburg, make_user, client_for):
    user = make_user(twente, "medewerker")
    response = client_for(limburg).post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    with tenant_context(limburg):  # the session lives in the region's schema
        assert "_auth_user_id" not in response.client.session


def test_a_session_cookie_of_one_region_is_worthless_in_another(
    twente, limburg, logged_in, client_for
):
    twente_client = logged_in(twente, "medewerker")
    assert twente_client.get("/").status_code == 200
    limburg_client = client_for(limburg)
    limburg_client.cookies = twente_client.cookies
    response = limburg_client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_unknown_host_gets_a_plain_404(db, client):
    response = client.get("/", HTTP_HOST="onbekend.localhost")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Dit adres hoort bij geen meldpunt" in body
    assert "Traceback" not in body and "URLconf" not in body


def test_a_suspended_region_lets_nobody_in(twente, logged_in, client_for):
    staff = logged_in(twente, "medewerker")
    set_suspended(twente, True, actor=None)
    for client, path in ((staff, "/"), (client_for(twente), reverse("account_login"))):
        response = client.get(path)
        assert response.status_code == 403
        assert "tijdelijk niet bereikbaar" in response.content.decode()
    set_suspended(twente, False, actor=None)
    assert staff.get("/").status_code == 200


def test_signing_in_takes_password_and_authenticator_code(twente, make_user, client_for):
    user = make_user(twente, "medewerker")
    client = client_for(twente)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get("/").status_code == 302  # not in yet
    code = pyotp.TOTP(user.totp_secret).now()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_user_without_mfa_is_led_to_set_it_up(twente, logged_in):
    client = logged_in(twente, "medewerker", mfa=False)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Stel eerst tweestapsverificatie in" in page.content.decode()


def test_demo_accounts_skip_mfa_only_in_demo_mode_with_debug(twente, logged_in, settings):
    client = logged_in(twente, "medewerker", mfa=False)
    with tenant_context(twente):
        User.objects.filter(pk=client.user.pk).update(is_demo=True)
    settings.DEMO_MODE = True
    settings.DEBUG = True
    assert client.get("/").status_code == 200
    settings.DEBUG = False
    assert client.get("/").status_code == 302


def test_failed_logins_are_rate_limited_per_account(twente, make_user, client_for):
    user = make_user(twente, "medewerker")
    client = client_for(twente)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "fout"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert "Te veel inlogpogingen" in response.content.decode()
    with tenant_context(twente):  # the session lives in the region's schema
        assert "_auth_user_id" not in client.session


def test_no_public_sign_up(twente, client_for):
    response = client_for(twente).post(
        reverse("account_signup"),
        {"email": "nieuw@example.org", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    with tenant_context(twente):
        assert not User.objects.filter(email="nieuw@example.org").exists()
    assert response.status_code in {200, 403}
