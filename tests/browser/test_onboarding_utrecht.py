"""A national admin onboards Utrecht; its first admin sets a password and MFA, and signs in."""

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

UTRECHT_ADMIN = "beheer@utrecht.example"
UTRECHT_PASSWORD = "Domtoren-en-Oudegracht-2026"


def test_axe_reports_a_violation_when_there_is_one(page: Page):
    page.set_content("<html><body><img src='x.png'></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_national_admin_onboards_utrecht_and_its_admin_signs_in_with_mfa(page: Page, server):
    log_in(page, server, "localhost", "landelijk@platform.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regio's")
    expect(page.get_by_role("row", name=re.compile("Twente"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Regio aansluiten").click()
    assert_accessible(page)
    page.get_by_role("button", name="Regio aansluiten").click()  # empty: errors, nothing lost
    expect(page.get_by_role("alert")).to_contain_text("Vul de naam van de regio in.")
    assert_accessible(page)
    page.get_by_label("Naam van de regio").fill("Utrecht")
    page.get_by_label("Code").fill("utrecht")
    page.get_by_label("Startconfiguratie").select_option("basis")
    page.get_by_label("E-mailadres van de eerste regiobeheerder").fill(UTRECHT_ADMIN)
    page.get_by_role("button", name="Regio aansluiten").click()
    expect(page.get_by_role("status")).to_contain_text("Regio Utrecht is aangemaakt")
    expect(page.get_by_role("row", name=re.compile("Utrecht"))).to_contain_text("utrecht.localhost")

    server.deliver_mail("utrecht")
    invitation = next(mail for mail in reversed(server.mails()) if UTRECHT_ADMIN in mail)
    link = re.search(
        r"http://utrecht\.localhost:\d+/accounts/password/reset/key/\S+", invitation
    ).group(0)

    admin = page.context.browser.new_context(locale="nl-NL").new_page()
    admin.goto(link)
    assert_accessible(admin)
    admin.get_by_label("Nieuw wachtwoord", exact=True).fill(UTRECHT_PASSWORD)
    admin.get_by_label("Nieuw wachtwoord (bevestigen)").fill(UTRECHT_PASSWORD)
    admin.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(admin.get_by_role("heading", level=1)).to_be_visible()

    log_in(admin, server, "utrecht.localhost", UTRECHT_ADMIN, UTRECHT_PASSWORD)
    expect(admin).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(
        admin.get_by_role("status").filter(has_text="Stel eerst tweestapsverificatie in")
    ).to_be_visible()
    assert_accessible(admin)
    secret = admin.get_by_label("Authenticator geheim").input_value()
    admin.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    admin.get_by_role("button", name="Activeer").click()
    expect(admin).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert_accessible(admin)

    admin.goto(server.url("utrecht.localhost", "/"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Overzicht meldpunt Utrecht")
    expect(admin.get_by_role("link", name="Gebruikers")).to_be_visible()
    admin.get_by_role("link", name="Gebruikers").click()
    expect(admin.get_by_role("table")).to_contain_text(UTRECHT_ADMIN)
    assert_accessible(admin)
    admin.context.close()
