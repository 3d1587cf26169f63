"""A demo account of Twente signs in, and gets nothing at Limburg."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, log_in


def test_login_page_is_accessible(page: Page, server):
    page.goto(server.url("twente.localhost", "/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_text("Meldpunt Loverboyproblematiek Twente").first).to_be_visible()
    assert_accessible(page)


def test_twente_staff_reach_the_dashboard_and_nothing_in_limburg(page: Page, server):
    log_in(page, server, "twente.localhost", "medewerker@twente.demo")
    expect(page).to_have_url(server.url("twente.localhost", "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht meldpunt Twente")
    assert_accessible(page)

    # The same session cookie, handed to Limburg, is unknown there.
    twente_cookies = page.context.cookies()
    session = next(cookie for cookie in twente_cookies if cookie["name"] == "sessionid")
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": session["value"],
                "domain": "limburg.localhost",
                "path": "/",
            }
        ]
    )
    page.goto(server.url("limburg.localhost", "/"))
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    # The same credentials are unknown there too.
    log_in(page, server, "limburg.localhost", "medewerker@twente.demo", DEMO_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("e-mailadres en/of wachtwoord is niet juist")
    page.goto(server.url("limburg.localhost", "/"))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)


def test_unknown_host_shows_a_plain_page(page: Page, server):
    response = page.goto(server.url("onbekend.localhost", "/"))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit adres hoort bij geen meldpunt")
    assert_accessible(page)


def test_dashboard_works_at_200_percent_zoom_and_in_english(browser, server):
    # 200% zoom of a 1280 px wide window is a 640 px wide layout viewport.
    context = browser.new_context(locale="en-GB", viewport={"width": 640, "height": 800})
    page = context.new_page()
    log_in(page, server, "limburg.localhost", "analist@limburg.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht meldpunt Limburg")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Overview of reporting centre Limburg"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    context.close()
