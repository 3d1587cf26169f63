"""What a person sees of a long job whose worker died: the analist's yearly report and
the regiobeheerder's retention run say they failed and why, offer to run again, and
then wait in the queue; each page passes axe at desktop width and at 390 px. (The
worker-kill that leads there: tests/statistiek/test_annual_report_worker_crash.py.)"""

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE = "twente.localhost"
FAILED = "Mislukt: de verwerking stopte onverwacht, ook na een nieuwe poging."


def test_a_failed_yearly_report_is_made_again_from_its_row(page: Page, server: Server):
    server.shell("twente", """
from accounts.models import User
from statistiek.models import AnnualReport
analist = User.objects.get(email="analist@twente.demo")
AnnualReport.objects.create(
    year=2024, requested_by=analist, status="mislukt", failure="onderbroken",
    progress=35, attempts=2, interruptions=2,
)
print("ok")
""")  # fmt: skip
    log_in(page, server, TWENTE, "analist@twente.demo")
    page.goto(server.url(TWENTE, "/statistiek/jaarverslag/"))
    row = page.get_by_role("row", name="2024")
    expect(row).to_contain_text(FAILED)
    assert_accessible(page)

    row.get_by_role("button", name="Jaarverslag 2024 opnieuw maken").click()
    expect(page.get_by_role("status")).to_contain_text("Het jaarverslag wordt opnieuw gemaakt.")
    expect(page.get_by_role("row", name="2024")).to_contain_text("in de wachtrij")
    assert_accessible(page)


def test_a_failed_retention_run_is_run_again_from_its_screen(page: Page, server: Server):
    server.shell("twente", """
from privacy.models import PrivacyRun
PrivacyRun.objects.create(
    kind="bewaartermijnen", status="mislukt", failure="onderbroken", attempts=2, interruptions=2
)
print("ok")
""")  # fmt: skip
    log_in(page, server, TWENTE, "regiobeheerder@twente.demo")
    page.goto(server.url(TWENTE, "/gegevensbescherming/bewaartermijnen/"))
    expect(page.locator("main")).to_contain_text(FAILED)
    assert_accessible(page)

    page.get_by_role("button", name="Opnieuw uitvoeren").click()
    expect(page.get_by_role("status")).to_contain_text("De taak wordt opnieuw uitgevoerd.")
    expect(page.locator("#laatste-taak")).to_contain_text("in de wachtrij")
    assert_accessible(page)
