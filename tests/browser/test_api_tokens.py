"""A medewerker in a region, and a national administrator on the platform, make a
personal API token for a link with another system: the key is shown once, the list
shows only its first characters afterwards, the key reads the API of its own domain,
and its owner revokes it after a confirmation, after which it reads nothing. Each
screen passes axe at desktop width and at 390 px, without sideways scrolling."""

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE = "twente.localhost"
PLATFORM = "localhost"


def read_with_key_only(page: Page, path: str, key: str) -> int:
    """The status of a GET of `path` on the page's own domain, as a program sends it:
    with the key and without the browser's session cookie."""
    return page.evaluate(
        """([path, key]) => fetch(path, {headers: {Authorization: "Token " + key},
                                        credentials: "omit"}).then(answer => answer.status)""",
        [path, key],
    )


@pytest.mark.parametrize(
    "host, email, api, where",
    [
        (TWENTE, "medewerker@twente.demo", "/api/v1/configuratie/stappen/", "in deze regio"),
        (PLATFORM, "landelijk@platform.demo", "/api/v1/regios/", "in geen enkele regio"),
    ],
    ids=["regio", "platform"],
)
def test_a_user_makes_a_token_sees_its_key_once_and_revokes_it(
    page: Page, server: Server, host: str, email: str, api: str, where: str
):
    name = f"Registratiesysteem {uuid.uuid4().hex[:6]}"
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, server, host, email)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="API-sleutels"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-sleutels")
    expect(page.get_by_role("main")).to_contain_text(where)
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

    assert read_with_key_only(page, api, key) == 200

    page.goto(server.url(host, "/account/api-sleutels/"))
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
    assert read_with_key_only(page, api, key) == 401
