"""The privacy officer starts the weekly access review from its screen instead of
waiting for Monday; the screen says it waits for a worker, and once the worker made it,
when it last ran (axe at 1280 and 390 px)."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

LIMBURG = "limburg.localhost"


def test_the_privacy_officer_starts_the_access_review_and_sees_when_it_ran(
    page: Page, server: Server
):
    log_in(page, server, LIMBURG, "privacyofficer@limburg.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Privacy").click()
    page.get_by_role("link", name="Logcontrole", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logcontrole")
    expect(page.locator("#laatst-uitgevoerd")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Logcontrole nu uitvoeren").click()
    expect(page.get_by_role("status").first).to_contain_text("De logcontrole is gestart.")
    expect(page.locator("#laatste-taak")).to_contain_text("in de wachtrij")
    expect(page.get_by_role("button", name="Logcontrole nu uitvoeren")).to_have_count(0)
    assert_accessible(page)

    server.shell(  # what the worker does once the request is done
        "limburg",
        "from privacy.models import PrivacyRun\nfrom privacy.services import runs\n"
        "print(runs.perform(PrivacyRun.objects.filter(kind='logcontrole').first().pk))",
    )
    page.reload()
    expect(page.locator("#laatst-uitgevoerd")).to_contain_text(
        "De logcontrole is het laatst uitgevoerd op"
    )
    expect(
        page.get_by_role("table", name="Wekelijkse logcontroles").locator("tbody tr a")
    ).not_to_have_count(0)
    expect(page.get_by_role("button", name="Logcontrole nu uitvoeren")).to_be_visible()
    assert_accessible(page)
