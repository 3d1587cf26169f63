"""A medewerker takes a report by phone; the intake points out the open case about the
same person, and the report is linked to it instead of becoming a new case."""

import re
import secrets

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

TWENTE = "twente.localhost"


def fill_intake(page: Page, name: str) -> None:
    page.get_by_label("Hoe kwam de melding binnen?").select_option(label="Telefoon")
    page.get_by_label("Wie meldt er?").select_option(
        label="Professional (bijvoorbeeld leraar of jongerenwerker)"
    )
    page.get_by_label("Organisatie van de melder").fill("Fictief College")
    page.get_by_label("De zorg, in de woorden van de melder").fill(
        "Leerling wordt na school opgehaald door een oudere man."
    )
    person = page.get_by_role("group", name="Betrokkene 1")
    person.get_by_label("Naam").fill(name)
    person.get_by_label("Geboortejaar").fill("2011")


def test_intake_links_a_second_report_about_the_same_person(page: Page, server):
    name = f"Noor Testpersoon {secrets.token_hex(3)}"
    log_in(page, server, TWENTE, "medewerker@twente.demo")
    page.get_by_role("link", name="Casussen", exact=True).click()
    page.get_by_role("link", name="Melding opnemen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Melding opnemen")
    assert_accessible(page)

    page.get_by_role("button", name="Nieuwe casus maken").click()  # empty: errors, nothing lost
    expect(page.get_by_role("alert")).to_contain_text("Beschrijf de zorg.")
    assert_accessible(page)
    fill_intake(page, name)
    # The same warning signs as the public form, so that the report counts in the figures.
    signals = page.get_by_role("group", name="Welke signalen noemt de melder?")
    signals.get_by_label("Spijbelen of schooluitval").check()
    signals.get_by_label("Dure cadeaus, kleding of telefoons zonder verklaring").check()
    page.get_by_role("button", name="Controleren op bestaande casussen").click()
    expect(page.get_by_text("Geen open casussen met dezelfde persoon gevonden.")).to_be_visible()
    expect(signals.get_by_label("Spijbelen of schooluitval")).to_be_checked()
    page.get_by_role("button", name="Nieuwe casus maken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus ")
    expect(page.get_by_text("Geef de melder deze codes door")).to_be_visible()
    expect(page.get_by_role("region", name="Meldingen")).to_contain_text(
        re.compile(r"Signalen: .*spijbelen.*|Signalen: .*dure.*", re.IGNORECASE)
    )
    assert_accessible(page)
    first_case = page.get_by_role("heading", level=1).inner_text().removeprefix("Casus ")

    page.goto(server.url(TWENTE, "/casussen/nieuw/"))
    fill_intake(page, name.upper())
    page.get_by_role("button", name="Controleren op bestaande casussen").click()
    link = page.get_by_role("button", name=re.compile(f"Koppelen aan casus {first_case}"))
    expect(link).to_contain_text("zelfde naam en geboortejaar")
    expect(page.get_by_label("De zorg, in de woorden van de melder")).to_have_value(
        "Leerling wordt na school opgehaald door een oudere man."
    )
    assert_accessible(page)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {first_case}")
    expect(page.get_by_role("region", name="Meldingen").get_by_role("article")).to_have_count(2)
    assert_accessible(page)


def test_limburg_takes_a_phone_report_on_its_risk_form(page: Page, server):
    """Limburg offers two forms: the medewerker first chooses the one whose questions they
    go through with the reporter, and gets its risk questions, as on the public form."""
    log_in(page, server, "limburg.localhost", "medewerker@limburg.demo")
    page.goto(server.url("limburg.localhost", "/casussen/nieuw/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Melding opnemen")
    assert_accessible(page)
    page.get_by_role("link", name="Risicotaxatieformulier").click()
    expect(
        page.get_by_text("Met de vragen van het formulier 'Risicotaxatieformulier'.")
    ).to_be_visible()
    assert_accessible(page)
    fill_intake(page, f"Jade Testpersoon {secrets.token_hex(3)}")
    page.get_by_role("group", name="Is de betrokkene minderjarig?").get_by_label("Ja").check()
    page.get_by_role("group", name="Is er contact met een (vermoedelijke) dader?").get_by_label(
        "Ja"
    ).check()
    page.get_by_role("button", name="Nieuwe casus maken").click()
    expect(page.get_by_text("Geef de melder deze codes door")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Antwoorden op het risicotaxatieformulier")
    ).to_be_visible()
