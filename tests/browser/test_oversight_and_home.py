"""The home page per role: the procesregisseur finds an overdue case from the dashboard's
count and opens it; every demo role sees its own work; a user chooses how often they
get e-mail. Each page checked with axe at desktop width and at 390 px."""

import secrets

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE = "twente.localhost"


def signed_in(browser: Browser, server: Server, email: str) -> Page:
    page = browser.new_context(locale="nl-NL").new_page()
    log_in(page, server, TWENTE, email)
    return page


def overdue_case(server: Server) -> str:
    """A fresh case whose step's deadline passed yesterday (set-up, not a move)."""
    return server.shell(
        "twente",
        f"""
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from workflow.models import Casus
from workflow.intake import offered_forms
from workflow.services import reports
actor = User.objects.get(email="medewerker@twente.demo")
person = reports.PersonData(role="slachtoffer", name="Termijn {secrets.token_hex(2)}")
data = reports.ReportData(form_code=offered_forms().first().code, channel="telefoon", reporter_type="ouder",
    concern="Zorgen.", persons=[person])
casus = reports.record_intake(data, actor=actor).report.casus
Casus.objects.filter(pk=casus.pk).update(deadline_at=timezone.now() - timedelta(days=1))
print(casus.reference)
""",
    )


def test_the_procesregisseur_finds_an_overdue_case_from_the_dashboard(
    browser: Browser, server: Server
):
    reference = overdue_case(server)
    page = signed_in(browser, server, "procesregisseur@twente.demo")
    expect(page.get_by_role("heading", name="Voor mij als Procesregisseur")).to_be_visible()
    tile = page.locator('[data-kind="termijn_verlopen"]')
    count = int(tile.locator(".meldpunt-tile__count").inner_text())
    assert count >= 1
    expect(page.get_by_role("table", name="Lopende casussen per stap")).to_be_visible()
    assert_accessible(page)

    tile.get_by_role("link").click()
    expect(page.get_by_label("Signaal")).to_have_value("termijn_verlopen")
    expect(page.get_by_role("status")).to_contain_text(f"{count} casus")
    # Many demo cases are overdue; the newest deadline is not on the first page.
    page.get_by_label("Zoeken").fill(reference)
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("status")).to_contain_text("1 casus gevonden")
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {reference}")


@pytest.mark.parametrize(
    ("role", "heading", "kind"),
    [
        ("medewerker", "Voor mij als Medewerker meldpunt", "te_screenen"),
        ("screeningsteamlid", "Voor mij als Lid screeningsteam", "agenda"),
        ("casuscoordinator", "Voor mij als Casuscoördinator", "eigen_casussen"),
        ("partnercontact", "Voor mij als Contactpersoon convenantpartner", "verzoeken_verlopen"),
        ("regiobeheerder", "Voor mij als Regiobeheerder", "zonder_tweestaps"),
    ],
)
def test_each_role_sees_its_work_on_its_home_page(
    browser: Browser, server: Server, role: str, heading: str, kind: str
):
    page = signed_in(browser, server, f"{role}@twente.demo")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    tile = page.locator(f'[data-kind="{kind}"]')
    expect(tile.get_by_role("link")).to_be_visible()
    assert_accessible(page)
    target = tile.get_by_role("link").get_attribute("href")
    response = page.goto(server.url(TWENTE, target))
    assert response.status == 200


def test_a_user_chooses_how_often_they_get_email(browser: Browser, server: Server):
    page = signed_in(browser, server, "analist@twente.demo")
    page.get_by_role("link", name="E-mailmeldingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mailmeldingen")
    assert_accessible(page)
    page.get_by_label("geen e-mail").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw keuze is opgeslagen")
    expect(page.get_by_label("geen e-mail")).to_be_checked()
    page.get_by_label("direct").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_label("direct")).to_be_checked()
