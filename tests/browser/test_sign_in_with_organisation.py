"""Colleagues sign in with their organisation's account, through a real OpenID Connect
provider (panva's certified `oidc-provider`, tests/oidc/provider.mjs) on the loopback
interface, with people of its own; the regiobeheerder configures it in Beheer."""

import json
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, log_in
from tests.serving import REPO, free_port

TWENTE = "twente.localhost"
LIMBURG = "limburg.localhost"
PROVIDER_SCRIPT = REPO / "tests" / "oidc" / "provider.mjs"
ORGANISATION = "Gemeente Enschede"
CLIENT_SECRET = "geheim-van-enschede-" + uuid.uuid4().hex
PASSWORD = "wachtwoord-bij-de-provider"
TOTP_SECRET = pyotp.random_base32()
# The provider's people: who signs in with two factors there, who with one, who was
# never invited by the meldpunt.
WITH_MFA = "wil.mfa@enschede.nl"
WITHOUT_MFA = "jan.wachtwoord@enschede.nl"
UNINVITED = "niet.uitgenodigd@enschede.nl"


@dataclass(frozen=True)
class Provider:
    key: str
    port: int

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def oidc_provider(
    tmp_path: Path, server, key: str, host: str = TWENTE
) -> Iterator[subprocess.Popen]:
    """The provider, with a client for `host`'s callback of `key`, until the block ends."""
    port = free_port()
    config = tmp_path / f"provider-{key}.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "clients": [
                    {
                        "client_id": f"meldpunt-{key}",
                        "client_secret": CLIENT_SECRET,
                        "redirect_uris": [
                            server.url(host, f"/accounts/oidc/{key}/login/callback/")
                        ],
                    }
                ],
                "users": [
                    {"email": WITH_MFA, "password": PASSWORD, "amr": ["pwd", "mfa"]},
                    {"email": WITHOUT_MFA, "password": PASSWORD, "amr": ["pwd"]},
                    {"email": UNINVITED, "password": PASSWORD, "amr": ["pwd", "mfa"]},
                ],
            }
        )
    )
    process = subprocess.Popen(
        ["node", str(PROVIDER_SCRIPT), str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            line = process.stdout.readline()
            if line.startswith("listening"):
                break
            if (not line and process.poll() is not None) or time.monotonic() > deadline:
                raise RuntimeError(f"the OpenID Connect provider did not start: {line}")
        process.port = port
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def add_provider(server, key: str, name: str, port: int, schema: str = "twente") -> None:
    """The schema's provider `key`, as the administrator's screen stores it."""
    server.shell(
        schema,
        "from accounts.models import IdentityProvider\n"
        f"IdentityProvider.objects.update_or_create(key={key!r}, defaults=dict(name={name!r},"
        f" issuer='http://127.0.0.1:{port}', client_id='meldpunt-{key}',"
        f" client_secret={CLIENT_SECRET!r}, email_domains=['enschede.nl']))\nprint('ok')",
    )


@pytest.fixture(scope="module")
def enschede(server, tmp_path_factory) -> Iterator[Provider]:
    """Twente's provider for Gemeente Enschede, and two invited colleagues of Enschede:
    one whose provider asserts MFA, one with our own authenticator app."""
    with oidc_provider(tmp_path_factory.mktemp("oidc"), server, "enschede") as process:
        add_provider(server, "enschede", ORGANISATION, process.port)
        server.shell(
            "twente",
            "from accounts.services import invite_user\n"
            "from accounts.models import User\n"
            "from allauth.mfa.totp.internal.auth import TOTP\n"
            f"for email in ({WITH_MFA!r}, {WITHOUT_MFA!r}):\n"
            "    if not User.objects.filter(email=email).exists():\n"
            "        invite_user(email, full_name=email, role_codes=['medewerker'])\n"
            f"TOTP.activate(User.objects.get(email={WITHOUT_MFA!r}), {TOTP_SECRET!r})\n"
            "print('ok')",
        )
        yield Provider("enschede", process.port)
        server.shell(
            "twente",
            "from accounts.models import IdentityProvider\n"
            "print(IdentityProvider.objects.filter(key='enschede').delete())",
        )


def sign_in_at_provider(page: Page, server, email: str, host: str = TWENTE) -> None:
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_role("button", name=f"Inloggen met {ORGANISATION}").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/interaction/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


def last_sign_in(server, email: str) -> str:
    return server.shell(
        "twente",
        "from audit.models import AuditEntry\n"
        f"line = AuditEntry.objects.filter(action='login', user_email={email!r}).first()\n"
        "print(line.detail if line else None)",
    )


def test_the_login_page_offers_the_organisation_next_to_the_password(page: Page, server, enschede):
    page.goto(server.url(TWENTE, "/accounts/login/"))
    expect(page.get_by_label("Wachtwoord", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=f"Inloggen met {ORGANISATION}")).to_be_visible()
    assert_accessible(page)


def test_a_colleague_whose_provider_asserts_mfa_lands_home_without_our_code(
    page: Page, server, enschede
):
    sign_in_at_provider(page, server, WITH_MFA)
    expect(page).to_have_url(server.url(TWENTE, "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht meldpunt Twente")
    # Not sent to set up an authenticator app either: the provider's word counts.
    page.goto(server.url(TWENTE, "/casussen/"))
    expect(page).to_have_url(server.url(TWENTE, "/casussen/"))
    assert last_sign_in(server, WITH_MFA) == "{'identiteitsprovider': 'enschede'}"


def test_a_colleague_without_mfa_at_the_provider_is_asked_our_code(page: Page, server, enschede):
    sign_in_at_provider(page, server, WITHOUT_MFA)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert last_sign_in(server, WITHOUT_MFA) == "None"  # not signed in yet
    page.get_by_label("Code").fill(pyotp.TOTP(TOTP_SECRET).now())
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(server.url(TWENTE, "/"))
    assert last_sign_in(server, WITHOUT_MFA) == "{'identiteitsprovider': 'enschede'}"


def test_an_uninvited_address_is_refused_and_no_account_appears(page: Page, server, enschede):
    sign_in_at_provider(page, server, UNINVITED)
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen account bij dit meldpunt")
    expect(page.get_by_role("alert")).to_contain_text("er is geen account aangemaakt")
    assert_accessible(page)
    page.goto(server.url(TWENTE, "/"))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    counts = server.shell(
        "twente",
        "from accounts.models import User\n"
        "from allauth.socialaccount.models import SocialAccount\n"
        f"print(User.objects.filter(email__iexact={UNINVITED!r}).count(),"
        " SocialAccount.objects.count())",
    )
    assert counts == "0 0"


def test_twentes_provider_is_neither_offered_nor_working_on_limburgs_login(
    page: Page, server, enschede
):
    page.goto(server.url(LIMBURG, "/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_role("button", name=re.compile("^Inloggen met"))).to_have_count(0)
    assert page.goto(server.url(LIMBURG, "/accounts/oidc/enschede/login/")).status == 404
    assert page.goto(server.url(LIMBURG, "/accounts/oidc/enschede/login/callback/")).status == 404
    # On Twente's own domain the same address is the provider's sign-in.
    assert page.goto(server.url(TWENTE, "/accounts/oidc/enschede/login/")).status == 200


def test_a_stopped_provider_gives_the_error_page_and_the_password_still_works(
    page: Page, server, tmp_path
):
    with oidc_provider(tmp_path, server, "gestopt") as process:
        add_provider(server, "gestopt", "Gemeente Hengelo", process.port)
    try:
        page.goto(server.url(TWENTE, "/accounts/login/"))
        page.get_by_role("button", name="Inloggen met Gemeente Hengelo").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Inloggen via uw organisatie lukt nu niet"
        )
        assert_accessible(page)
        page.get_by_role("link", name="Naar het inlogscherm").click()
        log_in(page, server, TWENTE, "medewerker@twente.demo", DEMO_PASSWORD)
        expect(page).to_have_url(server.url(TWENTE, "/"))
    finally:
        server.shell(
            "twente",
            "from accounts.models import IdentityProvider\n"
            "print(IdentityProvider.objects.filter(key='gestopt').delete())",
        )


def test_the_regiobeheerder_adds_changes_and_removes_a_provider(page: Page, server):
    name = f"GGD Twente {uuid.uuid4().hex[:6]}"
    log_in(page, server, TWENTE, "regiobeheerder@twente.demo")
    page.goto(server.url(TWENTE, "/beheer/"))
    page.get_by_role("link", name="Inloggen via de organisatie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen via de organisatie")
    assert_accessible(page)
    page.get_by_role("link", name="Provider toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Naam van de organisatie").fill(name)
    page.get_by_label("Issuer-URL").fill("http://login.ggdtwente.example/realm")
    page.get_by_label("Client-id").fill("meldpunt")
    page.get_by_label("Client-secret").fill("het-secret")
    page.get_by_label("E-maildomeinen").fill("ggdtwente.nl, @GGD.example")
    page.get_by_role("button", name="Opslaan").click()
    # Only https, except on the loopback interface.
    expect(page.get_by_text("Gebruik een https-adres.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Issuer-URL").fill("https://login.ggdtwente.example/realm")
    page.get_by_label("Client-secret").fill("het-secret")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Geef de provider dit adres als redirect-URI"
    )
    row = page.get_by_role("row", name=re.compile(name))
    expect(row).to_contain_text("ggd.example, ggdtwente.nl")
    expect(row).to_contain_text(f"http://{TWENTE}:{server.port}/accounts/oidc/")

    # Stored in Twente's schema only, the secret encrypted.
    stored = server.shell(
        "twente",
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('select client_secret from accounts_identityprovider where name = %s',"
        f" [{name!r}])\n"
        "    raw = cursor.fetchone()[0]\n"
        "print('het-secret' not in raw and raw.startswith('gAAAA'))",
    )
    assert stored == "True"
    elsewhere = server.shell(
        "limburg",
        "from accounts.models import IdentityProvider\n"
        f"print(IdentityProvider.objects.filter(name={name!r}).count())",
    )
    assert elsewhere == "0"

    page.get_by_role("link", name=name).click()
    page.get_by_label("Naam van de organisatie").fill(name + " (nieuw)")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("link", name=name + " (nieuw)")).to_be_visible()
    secret = server.shell(
        "twente",
        "from accounts.models import IdentityProvider\n"
        f"print(IdentityProvider.objects.get(name={name + ' (nieuw)'!r}).client_secret)",
    )
    assert secret == "het-secret"  # an empty secret field keeps the stored one

    page.get_by_role("link", name=name + " (nieuw)").click()
    page.get_by_role("button", name="Verwijderen").click()
    expect(page.get_by_role("status")).to_contain_text("is verwijderd")
    expect(page.get_by_role("link", name=re.compile(name))).to_have_count(0)


def test_the_national_administrator_configures_providers_on_the_platform(page: Page, server):
    log_in(page, server, "localhost", "landelijk@platform.demo")
    page.get_by_role("link", name="Inloggen via organisatie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen via de organisatie")
    expect(page.get_by_role("link", name=ORGANISATION)).to_have_count(0)  # Twente's, not here
    assert_accessible(page)
    page.get_by_role("link", name="Provider toevoegen").click()
    expect(page.get_by_label("Client-secret")).to_be_visible()
    assert_accessible(page)


def test_a_national_administrator_signs_in_on_the_platform_through_the_organisation(
    page: Page, server, tmp_path
):
    """The platform's own provider, in the public schema; the invited national
    administrator's provider asserts MFA."""
    with oidc_provider(tmp_path, server, "landelijk", host="localhost") as process:
        add_provider(server, "landelijk", ORGANISATION, process.port, schema="public")
        server.shell(
            "public",
            "from accounts.services import invite_user\n"
            f"invite_user({WITH_MFA!r}, is_national_admin=True)\nprint('ok')",
        )
        try:
            sign_in_at_provider(page, server, WITH_MFA, host="localhost")
            expect(page).to_have_url(server.url("localhost", "/"))
            expect(page.get_by_role("link", name="Inloggen via organisatie")).to_be_visible()
            line = server.shell(
                "public",
                "from audit.models import AuditEntry\n"
                f"print(AuditEntry.objects.filter(action='login', user_email={WITH_MFA!r})"
                ".first().detail)",
            )
            assert line == "{'identiteitsprovider': 'landelijk'}"
        finally:
            server.shell(
                "public",
                "from accounts.models import IdentityProvider, User\n"
                "IdentityProvider.objects.filter(key='landelijk').delete()\n"
                f"print(User.objects.filter(email={WITH_MFA!r}).update(is_active=False))",
            )
