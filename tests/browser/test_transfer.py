"""Warme overdracht through the screens: Twente's procesregisseur records the victim's
consent and proposes the case to Limburg; Limburg's procesregisseur sees the signal on
the home page, reads the proposal and accepts it. The case appears in Limburg under
Limburg's keys (other ciphertext, the same text), Twente's case is closed as
transferred, both audit logs hold the transfer, and neither region's account opens the
other's case. Each page checked with axe at 1280 px and at 390 px."""

import re
import secrets

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE, LIMBURG = "twente.localhost", "limburg.localhost"


def signed_in(browser: Browser, server: Server, host: str, email: str) -> Page:
    page = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, server, host, email)
    return page


def twente_case(server: Server, name: str, concern: str) -> str:
    """A fresh Twente case of one victim born in 2004 (set-up, as a phone report)."""
    return server.shell(
        "twente",
        f"""
from accounts.models import User
from workflow.intake import offered_forms
from workflow.services import reports
actor = User.objects.get(email="medewerker@twente.demo")
person = reports.PersonData(role="slachtoffer", name={name!r}, birth_year=2004)
data = reports.ReportData(form_code=offered_forms().first().code, channel="telefoon",
    reporter_type="ouder", concern={concern!r}, persons=[person])
print(reports.record_intake(data, actor=actor).report.casus.reference)
""",
    )


def stored_concern(server: Server, region: str, reference: str) -> str:
    """The report's concern as the database holds it (the ciphertext)."""
    return server.shell(
        region,
        f"""
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT r.concern FROM workflow_report r JOIN workflow_casus c ON c.id = r.casus_id WHERE c.reference = %s", [{reference!r}])
    print(cursor.fetchone()[0])
""",
    )


def transfer_lines(server: Server, region: str, reference: str) -> str:
    """The region's audit lines of the transfer on the case: their actions and grounds."""
    return server.shell(
        region,
        f"""
from audit.models import AuditEntry
lines = AuditEntry.objects.filter(case_id={reference!r}, detail__has_key="overdracht")
print(sorted((line.action, line.grounds) for line in lines))
""",
    )


def test_twente_transfers_a_case_to_limburg_with_consent(browser: Browser, server: Server):
    name = f"Noor Overdracht {secrets.token_hex(2)}"
    concern = f"Zij wordt opgehaald door een oudere man ({secrets.token_hex(3)})."
    reference = twente_case(server, name, concern)

    twente = signed_in(browser, server, TWENTE, "procesregisseur@twente.demo")
    twente.goto(server.url(TWENTE, f"/casussen/{reference}/"))
    twente.get_by_role("link", name="Toestemming vastleggen").first.click()
    twente.get_by_label(re.compile(rf"slachtoffer: {name}")).check()
    twente.get_by_label("overdragen aan een meldpunt in een andere regio").check()
    twente.get_by_label("de betrokkene zelf").check()
    twente.get_by_label("Voor wat precies?").fill("Overdracht aan het meldpunt Limburg.")
    twente.get_by_role("button", name="Vastleggen", exact=True).click()
    expect(twente.get_by_role("status").first).to_be_visible()

    twente.goto(server.url(TWENTE, f"/casussen/{reference}/"))
    twente.get_by_role("link", name="Overdragen aan een ander meldpunt").click()
    expect(twente.get_by_role("heading", level=1)).to_contain_text("overdragen")
    assert_accessible(twente)
    twente.get_by_label("Naar het meldpunt van").select_option(label="Limburg")
    twente.get_by_label(re.compile(r"betrokkenen \(1\)")).check()
    twente.get_by_label(re.compile(r"meldingen .*\(1\)")).check()
    twente.get_by_label("toestemming van de betrokkene").check()
    twente.get_by_label("Waarom draagt u de casus over?").fill("Zij woont nu in Maastricht.")
    twente.get_by_role("button", name="Voorstel versturen").click()
    expect(twente.get_by_role("status").first).to_contain_text("verstuurd")

    limburg = signed_in(browser, server, LIMBURG, "procesregisseur@limburg.demo")
    signal = limburg.locator('[data-kind="overdrachten"]')
    expect(signal).to_contain_text("voorstel tot overdracht")
    assert_accessible(limburg)
    signal.get_by_role("link").click()
    expect(limburg.get_by_role("heading", level=1)).to_have_text("Overdrachten")
    assert_accessible(limburg)
    limburg.get_by_role("table", name="Voorstellen aan dit meldpunt").get_by_role(
        "link"
    ).first.click()
    expect(limburg.get_by_role("heading", level=1)).to_have_text(
        "Overdracht van Twente aan Limburg"
    )
    expect(limburg.locator("main")).to_contain_text("Zij woont nu in Maastricht.")
    expect(limburg.locator("main")).not_to_contain_text(name)  # kinds and counts, no content
    assert_accessible(limburg)
    limburg.get_by_role("button", name="Overdracht aanvaarden").click()

    expect(limburg.get_by_role("status").first).to_contain_text("overgedragen")
    heading = limburg.get_by_role("heading", level=1).inner_text()
    limburg_reference = heading.removeprefix("Casus ").strip()
    expect(limburg.locator("main")).to_contain_text("overgedragen uit regio Twente")
    expect(limburg.locator("main")).to_contain_text(name)
    expect(limburg.locator("main")).to_contain_text(concern)
    assert_accessible(limburg)

    twente_cipher = stored_concern(server, "twente", reference)
    limburg_cipher = stored_concern(server, "limburg", limburg_reference)
    assert concern not in twente_cipher and concern not in limburg_cipher
    assert twente_cipher != limburg_cipher

    twente.goto(server.url(TWENTE, f"/casussen/{reference}/"))
    expect(twente.get_by_role("heading", name="Afgerond")).to_be_visible()
    expect(twente.locator("main")).to_contain_text("overgedragen aan regio Limburg")
    expect(twente.locator("main")).to_contain_text("overgedragen")
    assert_accessible(twente)

    assert "'toestemming'" in transfer_lines(server, "twente", reference)
    assert "'export'" in transfer_lines(server, "twente", reference)
    assert "('create', 'toestemming')" in transfer_lines(server, "limburg", limburg_reference)

    # Neither region's account opens the other region's case.
    twente.goto(server.url(LIMBURG, f"/casussen/{limburg_reference}/"))
    expect(twente).to_have_url(re.compile(r"/accounts/login/"))
    limburg.goto(server.url(TWENTE, f"/casussen/{reference}/"))
    expect(limburg).to_have_url(re.compile(r"/accounts/login/"))
