"""Limburg's spearhead method through the screens only: a risicotaxatieformulier is
screened, the reporter gets feedback with advice, the process director plans a case
conference with the Veiligheidshuis, where the risk assessment starts from the
reporter's answers and the case is closed; then evaluation and completion."""

import re
import secrets
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in, open_details

LIMBURG = "limburg.localhost"


def signed_in(browser: Browser, server: Server, role: str) -> Page:
    page = browser.new_context(locale="nl-NL").new_page()
    log_in(page, server, LIMBURG, f"{role}@limburg.demo")
    return page


def report(browser: Browser, server: Server, name: str) -> str:
    reporter = browser.new_context(locale="nl-NL").new_page()
    reporter.goto(server.url(LIMBURG, "/melden/risicotaxatieformulier/"))
    reporter.get_by_label("Ouder of verzorger").check()
    reporter.get_by_label("Wat is uw zorg?").fill(
        "Mijn dochter (15) heeft een veel oudere vriend, krijgt dure cadeaus en blijft weg."
    )
    reporter.get_by_role("group", name="Is de betrokkene minderjarig?").get_by_label("Ja").check()
    reporter.get_by_role("group", name="Is er contact met een (vermoedelijke) dader?").get_by_label(
        "Ja"
    ).check()
    reporter.get_by_role("group", name="Betrokkene 1").get_by_label("Naam").fill(name)
    reporter.wait_for_timeout(3200)  # a person's pace: the bot check wants three seconds
    reporter.get_by_role("button", name="Melding versturen").click()
    code = reporter.locator("#meldcode").inner_text()
    reporter.context.close()
    return code


def open_case(page: Page, server: Server, reference: str) -> None:
    page.goto(server.url(LIMBURG, f"/casussen/{reference}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {reference}")


def save(page: Page, button: str = "Vastleggen") -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("status").first).to_be_visible()


def move_to(page: Page, step: str) -> None:
    page.get_by_role("button", name=f"Naar '{step}'").click()
    expect(page.get_by_role("status").first).to_contain_text(f"staat nu in stap '{step}'")


def test_a_limburg_risicotaxatieformulier_to_a_case_conference_and_closure(
    browser: Browser, server: Server
):
    name = f"Lieke Limburgkind {secrets.token_hex(2)}"
    code = report(browser, server, name)

    medewerker = signed_in(browser, server, "medewerker")
    medewerker.get_by_role("link", name="Casussen", exact=True).click()
    medewerker.get_by_label("Zoeken").fill(code)
    medewerker.get_by_role("button", name="Filteren").click()
    medewerker.get_by_role("table").get_by_role("rowheader").get_by_role("link").first.click()
    reference = re.search(r"Casus (\S+)", medewerker.get_by_role("heading", level=1).inner_text())[
        1
    ]
    expect(medewerker.get_by_text("Antwoorden op het risicotaxatieformulier")).to_be_visible()
    # The reporter's answers as they were asked, not as codes ("minderjarig: ja").
    answered = medewerker.locator("dt", has_text="Is de betrokkene minderjarig?")
    expect(answered).to_be_visible()
    expect(answered.locator("xpath=following-sibling::dd")).to_have_text("Ja")
    expect(medewerker.get_by_text(re.compile(r"\b(minderjarig|contact_dader): ja"))).to_have_count(
        0
    )
    expect(medewerker.get_by_text(re.compile("Via Webformulier;"))).to_be_visible()
    assert_accessible(medewerker)
    move_to(medewerker, "Screening")
    medewerker.get_by_role("link", name="Agenderen voor een overleg").first.click()
    medewerker.get_by_label("Overleg").select_option(index=0)
    save(medewerker)

    screener = signed_in(browser, server, "screeningsteamlid")
    open_case(screener, server, reference)
    screener.get_by_role("link", name="Uitkomst van de screening").first.click()
    screener.get_by_label("loverboyproblematiek: ja").check()
    screener.get_by_label("Advies").fill("Casusoverleg met het Veiligheidshuis.")
    save(screener)
    move_to(screener, "Terugkoppeling met advies")

    open_case(medewerker, server, reference)
    medewerker.get_by_role("link", name="Terugkoppeling aan de melder").first.click()
    medewerker.get_by_role("link", name="Advies na screening").click()
    text = medewerker.get_by_role("textbox", name="Terugkoppeling aan de melder")
    text.fill(
        text.input_value() + " Blijf in gesprek met uw dochter; wij plannen een casusoverleg."
    )
    assert_accessible(medewerker)
    save(medewerker, "Terugkoppeling vastleggen")
    move_to(medewerker, "Casusoverleg")

    regisseur = signed_in(browser, server, "procesregisseur")
    regisseur.get_by_role("link", name="Overleggen").click()
    regisseur.get_by_role("link", name="Overleg plannen").click()
    assert_accessible(regisseur)
    regisseur.get_by_label("Casusoverleg").check()
    tomorrow = timezone.localtime() + timedelta(days=1)
    regisseur.get_by_label("Datum en tijd").fill(f"{tomorrow:%Y-%m-%d}T14:00")
    regisseur.get_by_label("Plaats").fill("Veiligheidshuis Zuid-Limburg")
    regisseur.get_by_label(re.compile("Procesregisseur Limburg")).check()
    guest = regisseur.get_by_role("group", name="Gast 1")
    guest.get_by_label("Naam").fill("Zorgcoördinator (fictief)")
    guest.get_by_label("Organisatie").select_option(label="Zorgcoördinatoren Mensenhandel")
    save(regisseur, "Overleg plannen")
    expect(regisseur.get_by_role("heading", level=1)).to_contain_text("Casusoverleg")
    open_case(regisseur, server, reference)
    regisseur.get_by_role("link", name="Agenderen voor een overleg").first.click()
    meetings = regisseur.get_by_label("Overleg")
    meetings.select_option(
        meetings.locator("option", has_text="Casusoverleg").get_attribute("value")
    )
    save(regisseur)
    regisseur.get_by_role("link", name=re.compile("Casusoverleg")).first.click()
    assert_accessible(regisseur)
    with regisseur.expect_download() as agenda:
        regisseur.get_by_role("link", name="Agenda (PDF)").click()
    assert agenda.value.suggested_filename.startswith("agenda-")
    regisseur.get_by_role("link", name=re.compile(rf"Bespreken en vastleggen {reference}")).click()
    regisseur.get_by_label(re.compile(r"^Verslag")).fill("Besproken; hulp via de zorgcoördinator.")
    regisseur.get_by_label("Besluit").fill("Advies gegeven; de casus wordt afgesloten.")
    regisseur.get_by_label("De casus gaat naar").select_option(label="'Afsluiting'")
    open_details(regisseur, "Risicotaxatie in dit overleg")
    minor = regisseur.get_by_role("group", name="Is de betrokkene minderjarig?")
    expect(minor.get_by_label("Ja", exact=True)).to_be_checked()  # from the reporter's form
    for question in (
        "Zijn er signalen van seksuele uitbuiting?",
        "Is de betrokkene (regelmatig) vermist?",
    ):
        regisseur.get_by_role("group", name=question).get_by_label("Onbekend").check()
    assert_accessible(regisseur)
    save(regisseur)
    regisseur.get_by_role("button", name="Verslag vaststellen").click()
    expect(regisseur.locator("#vaststellen-bevestigen")).to_contain_text("Het overleg is pas op")
    regisseur.get_by_role("button", name="Verslag toch vaststellen").click()
    expect(regisseur.get_by_role("status").first).to_contain_text("vastgesteld")

    open_case(regisseur, server, reference)
    expect(regisseur.get_by_role("heading", name="Nu te doen: Afsluiting")).to_be_visible()
    regisseur.get_by_role("link", name="Afsluitreden").first.click()
    regisseur.get_by_label("Advies gegeven").check()
    save(regisseur)
    move_to(regisseur, "Evaluatie")
    regisseur.get_by_role("link", name="Evaluatie", exact=True).first.click()
    regisseur.get_by_label("Toelichting: Hoe verliep de samenwerking met de ketenpartners?").fill(
        "Goed."
    )
    for question, rating in [
        ("Hoe verliep de samenwerking met de ketenpartners?", "ja"),
        ("Was de doorverwijzing passend en tijdig?", "deels"),
        ("Is er zicht op recidive?", "onbekend"),
    ]:
        regisseur.get_by_role("group", name=question).get_by_label(rating, exact=True).check()
    save(regisseur)
    regisseur.get_by_role("button", name="Casus afronden").click()
    expect(regisseur.get_by_role("heading", name="Afgerond")).to_be_visible()
    for page in (medewerker, screener, regisseur):
        page.context.close()
