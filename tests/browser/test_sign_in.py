"""A meldpunt worker signs in with the keyboard alone, and reads the case page in English."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible

TWENTE = "twente.localhost"
DUTCH_ROLE_NAMES = ("Medewerker meldpunt", "Lid screeningsteam", "Casuscoördinator", "Analist")


def test_email_tab_password_enter_signs_in(page: Page, server):
    """The medewerker types the address, Tab, the password and Enter: no mouse."""
    page.goto(server.url(TWENTE, "/accounts/login/"))
    assert_accessible(page)
    page.get_by_label("E-mailadres").focus()
    page.keyboard.type("medewerker@twente.demo")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord", exact=True)).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    # "Wachtwoord vergeten?" comes after the field it helps with, and still describes it.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Wachtwoord vergeten?")).to_be_focused()
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_accessible_description(
        "Wachtwoord vergeten?"
    )
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.url(TWENTE, "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht meldpunt Twente")


def test_a_wrong_password_is_refused_politely(page: Page, server):
    page.goto(server.url(TWENTE, "/accounts/login/"))
    page.get_by_label("E-mailadres").fill("medewerker@twente.demo")
    page.get_by_label("Wachtwoord", exact=True).fill("niet-het-wachtwoord")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(
        "Het opgegeven e-mailadres en/of wachtwoord is niet juist."
    )
    assert not re.search(r"\b(je|jij|jouw)\b", page.get_by_role("main").inner_text(), re.I)
    assert_accessible(page)


def open_case_at_a_step_of(page: Page, server, role: str) -> str:
    """Open an open Twente case whose current step is the given role's; returns the sentence
    that says who moves it on."""
    reference = server.shell(
        "twente",
        "from workflow.models import Casus\n"
        f"print(Casus.objects.filter(current_step__responsible_role={role!r}, completed_at=None)"
        ".order_by('reference').values_list('reference', flat=True).first())",
    )
    page.goto(server.url(TWENTE, f"/casussen/{reference}/"))
    who = page.locator("dt", has_text="Who moves the case on").locator(
        "xpath=following-sibling::dd"
    )
    return who.inner_text()


def test_the_case_page_names_who_moves_it_on_in_english_and_once(browser, server):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(server.url(TWENTE, "/accounts/login/"))
    page.get_by_label("E-mailadres").fill("medewerker@twente.demo")
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="For me as Reporting centre staff")).to_be_visible()

    sentence = open_case_at_a_step_of(page, server, "medewerker")
    assert "Reporting centre staff" in sentence and "Medewerker meldpunt" not in sentence
    assert_accessible(page)
    # A step of the procesregisseur's own names that role once, not "X, or X".
    sentence = open_case_at_a_step_of(page, server, "procesregisseur")
    assert sentence.lower().count("process director") == 1
    assert "procesregisseur" not in sentence.lower()
    context.close()
