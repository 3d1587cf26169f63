"""A medewerker makes a personal API token for a link with another system: the key
is shown once, the list shows only its first characters afterwards, and the
medewerker revokes it after a confirmation. Each screen passes axe at desktop width
and at 390 px, without sideways scrolling."""

import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE = "twente.localhost"


def test_a_medewerker_makes_a_token_sees_its_key_once_and_revokes_it(page: Page, server: Server):
    name = f"Registratiesysteem {uuid.uuid4().hex[:6]}"
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, server, TWENTE, "medewerker@twente.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="API-sleutels"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-sleutels")
    assert_accessible(page)

    page.get_by_label("Naam").fill(name)
    page.get_by_label("Verloopt op").fill("2027-01-15")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    shown = page.get_by_role("status").filter(has_text="Uw nieuwe API-sleutel")
    expect(shown).to_contain_text("maar één keer getoond")
    key = page.locator("#nieuwe-api-sleutel").inner_text()
    assert re.fullmatch(r"mlp_[A-Za-z0-9_-]{43}", key), key
    row = page.get_by_role("row", name=re.compile(re.escape(name)))
    expect(row).to_contain_text(f"{key[:12]}…")
    expect(row).to_contain_text("15 januari 2027")
    expect(row).to_contain_text("nog niet")
    assert_accessible(page)

    page.goto(server.url(TWENTE, "/account/api-sleutels/"))
    expect(page.locator("#nieuwe-api-sleutel")).to_have_count(0)
    assert key[12:] not in page.content()
    row = page.get_by_role("row", name=re.compile(re.escape(name)))
    expect(row).to_contain_text(f"{key[:12]}…")
    expect(row).to_contain_text("actief")

    row.get_by_role("link", name=f"Intrekken: {name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-sleutel intrekken")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, sleutel intrekken").click()
    expect(page.get_by_role("status")).to_contain_text(f"De API-sleutel {name} is ingetrokken.")
    row = page.get_by_role("row", name=re.compile(re.escape(name)))
    expect(row).to_contain_text("ingetrokken")
    expect(row.get_by_role("link", name=f"Intrekken: {name}")).to_have_count(0)
    assert_accessible(page)
