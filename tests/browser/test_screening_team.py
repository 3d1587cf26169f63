"""Twente's screening team member finds a new case in Screening in their own case list,
before any meeting, without who reported, and moves it on; the medewerker's case page
says the case waits for the team and how to put it on an agenda."""

import secrets

from playwright.sync_api import Browser, expect

from tests.browser.conftest import Server, assert_accessible
from tests.browser.test_casework_twente import do_task, move_to, open_case, report, save, signed_in


def test_a_screening_team_member_finds_a_new_case_and_moves_it_on(browser: Browser, server: Server):
    code = report(browser, server, f"Lotte Screeningkind {secrets.token_hex(2)}")

    medewerker = signed_in(browser, server, "medewerker")
    medewerker.get_by_role("link", name="Casussen", exact=True).click()
    medewerker.get_by_label("Zoeken").fill(code)
    medewerker.get_by_role("button", name="Filteren").click()
    medewerker.get_by_role("table").get_by_role("rowheader").get_by_role("link").first.click()
    reference = medewerker.get_by_role("heading", level=1).inner_text().removeprefix("Casus ")
    move_to(medewerker, "Screening")
    waiting = medewerker.locator("#wacht-op-screeningsteam")
    expect(waiting).to_contain_text("Deze casus wacht op het screeningsteam.")
    expect(
        waiting.get_by_role("link", name="Zet de casus op de agenda van een overleg")
    ).to_be_visible()
    expect(waiting.get_by_role("link", name="Naar de overleggen")).to_be_visible()
    assert_accessible(medewerker)

    screener = signed_in(browser, server, "screeningsteamlid")
    screener.get_by_role("link", name="Casussen", exact=True).click()
    expect(
        screener.get_by_text("U ziet de casussen die op het screeningsteam wachten")
    ).to_be_visible()
    screener.get_by_label("Zoeken").fill(reference)
    screener.get_by_role("button", name="Filteren").click()
    assert_accessible(screener)
    screener.get_by_role("link", name=reference, exact=True).click()
    expect(screener.get_by_role("heading", name="Nu te doen: Screening")).to_be_visible()
    expect(
        screener.get_by_text("Naam en contactgegevens van de melder ziet u zodra")
    ).to_be_visible()
    assert_accessible(screener)

    do_task(screener, "Uitkomst van de screening")
    screener.get_by_label("loverboyproblematiek: vermoeden").check()
    save(screener)
    do_task(screener, "Terugkoppeling aan de melder")
    screener.get_by_role("link", name="Melding ontvangen en in behandeling").click()
    save(screener, "Terugkoppeling vastleggen")
    move_to(screener, "Informatieronde bij convenantpartners")

    open_case(medewerker, server, reference)
    expect(
        medewerker.get_by_role("heading", name="Nu te doen: Informatieronde bij convenantpartners")
    ).to_be_visible()
