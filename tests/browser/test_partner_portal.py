"""Partners in the loop, through the screens: a medewerker asks a partner for
information on the victim's consent (recorded first, by who may give it at her age),
the partner's contact person answers in the portal seeing only what was shared, and
the case's condition then holds; in Limburg a referral waits until the partner
accepts it in the portal; a partner files a report and follows it."""

import re
import secrets

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE, LIMBURG = "twente.localhost", "limburg.localhost"
SCHOOL = "Geheim Lyceum"  # in the case, never shared


def signed_in(browser: Browser, server: Server, host: str, email: str) -> Page:
    page = browser.new_context(locale="nl-NL").new_page()
    log_in(page, server, host, email)
    return page


def case_in_step(server: Server, region: str, step: str, name: str) -> str:
    """A fresh case with one victim (born 2011) standing in `step` (set-up, not a move)."""
    return server.shell(
        region,
        f"""
from accounts.models import User
from configuratie.models import WorkflowDefinition
from workflow.models import Casus
from workflow.intake import offered_forms
from workflow.services import reports
actor = User.objects.get(email="medewerker@{region}.demo")
person = reports.PersonData(role="slachtoffer", name="{name}", birth_year=2011, school="{SCHOOL}")
data = reports.ReportData(form_code=offered_forms().first().code, channel="telefoon", reporter_type="ouder",
    concern="Zorgen om mijn dochter.", persons=[person])
casus = reports.record_intake(data, actor=actor).report.casus
step = WorkflowDefinition.objects.get(status="actief").steps.get(code="{step}")
Casus.objects.filter(pk=casus.pk).update(current_step=step)
print(casus.reference)
""",
    )


def open_case(page: Page, server: Server, host: str, reference: str) -> None:
    page.goto(server.url(host, f"/casussen/{reference}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {reference}")


def saved(page: Page) -> None:
    page.get_by_role("button", name="Vastleggen", exact=True).click()
    expect(page.get_by_role("status").first).to_be_visible()


def test_a_partner_answers_an_information_request_in_the_portal(browser: Browser, server: Server):
    name = f"Lieke Portaal {secrets.token_hex(2)}"
    subject = f"Eerdere hulp {secrets.token_hex(2)}"
    reference = case_in_step(server, "twente", "informatieronde", name)
    medewerker = signed_in(browser, server, TWENTE, "medewerker@twente.demo")
    open_case(medewerker, server, TWENTE, reference)
    condition = medewerker.locator(".meldpunt-checklist__item").filter(has_text="informatieronde")
    expect(condition).to_contain_text("Nog niet voldaan")

    medewerker.get_by_role("link", name="Informatieverzoek aan een convenantpartner").first.click()
    medewerker.get_by_label("Partner", exact=True).select_option(label="Jarabee")
    medewerker.get_by_label("Onderwerp").fill(subject)
    medewerker.get_by_label("Vraag aan de partner").fill("Is zij bij u in zorg geweest?")
    medewerker.get_by_label(re.compile(rf"slachtoffer: {name}")).check()
    medewerker.get_by_label("naam", exact=True).check()
    medewerker.get_by_label("geboortejaar", exact=True).check()
    medewerker.get_by_label("toestemming van de betrokkene").check()
    medewerker.get_by_role("button", name="Vastleggen", exact=True).click()
    expect(medewerker.get_by_role("alert")).to_contain_text("geen toestemming vastgelegd")
    expect(medewerker.get_by_label("Vraag aan de partner")).to_have_value(
        "Is zij bij u in zorg geweest?"
    )
    assert_accessible(medewerker)

    # Born in 2011, she is 14 or 15: she decides together with a parent or guardian.
    open_case(medewerker, server, TWENTE, reference)
    medewerker.get_by_role("link", name="Toestemming vastleggen").first.click()
    medewerker.get_by_label(re.compile(rf"slachtoffer: {name}")).check()
    medewerker.get_by_label("informatie delen met een partner").check()
    medewerker.get_by_label("de betrokkene zelf").check()
    medewerker.get_by_label("Voor wat precies?").fill("Delen met Jarabee over eerdere hulp.")
    medewerker.get_by_role("button", name="Vastleggen", exact=True).click()
    expect(medewerker.get_by_role("alert")).to_contain_text("samen met een ouder of voogd")
    assert_accessible(medewerker)
    medewerker.get_by_label("de betrokkene samen met een ouder of voogd").check()
    saved(medewerker)
    expect(
        medewerker.locator("#toestemming ~ ul, section:has(#toestemming)").first
    ).to_contain_text("Delen met Jarabee over eerdere hulp.")

    medewerker.get_by_role("link", name="Informatieverzoek aan een convenantpartner").first.click()
    medewerker.get_by_label("Partner", exact=True).select_option(label="Jarabee")
    medewerker.get_by_label("Onderwerp").fill(subject)
    medewerker.get_by_label("Vraag aan de partner").fill("Is zij bij u in zorg geweest?")
    medewerker.get_by_label(re.compile(rf"slachtoffer: {name}")).check()
    medewerker.get_by_label("naam", exact=True).check()
    medewerker.get_by_label("geboortejaar", exact=True).check()
    medewerker.get_by_label("toestemming van de betrokkene").check()
    saved(medewerker)
    expect(medewerker.locator("section:has(#informatieronde)")).to_contain_text(
        "de betrokkene samen met een ouder of voogd"
    )
    # Staff and the partner know the request by the same number and subject.
    known_as = (
        medewerker.locator("section:has(#informatieronde)")
        .get_by_role("rowheader", name=re.compile(subject))
        .inner_text()
    )
    assert re.fullmatch(rf"Informatieverzoek \d+: {subject}", known_as), known_as

    partner = signed_in(browser, server, TWENTE, "partnercontact@twente.demo")
    partner.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Partnerportaal"
    ).click()
    expect(partner.get_by_role("heading", level=1)).to_contain_text("Jarabee")
    assert_accessible(partner)
    asked = partner.get_by_role("table", name=re.compile("Open informatieverzoeken"))
    asked.get_by_role("link", name=known_as, exact=True).click()
    expect(partner.get_by_role("heading", level=1)).to_have_text(known_as)
    expect(partner.get_by_text("Is zij bij u in zorg geweest?")).to_be_visible()
    expect(partner.locator("main")).to_contain_text(name)
    expect(partner.locator("main")).to_contain_text("2011")
    expect(partner.locator("main")).not_to_contain_text(SCHOOL)
    expect(partner.locator("main")).not_to_contain_text(reference)
    assert_accessible(partner)
    partner.get_by_role("button", name="Antwoord versturen").click()
    expect(partner.get_by_role("alert")).to_contain_text("Schrijf uw antwoord.")
    partner.get_by_label("Uw antwoord").fill("Ja: in 2025 ambulante hulp, afgesloten.")
    partner.get_by_role("button", name="Antwoord versturen").click()
    expect(partner.get_by_role("status").first).to_contain_text("naar het meldpunt gestuurd")
    partner.goto(server.url(TWENTE, f"/casussen/{reference}/"))
    expect(partner.get_by_role("heading", level=1)).not_to_have_text(f"Casus {reference}")

    open_case(medewerker, server, TWENTE, reference)
    expect(condition).to_contain_text("Voldaan")
    expect(medewerker.locator("section:has(#informatieronde)")).to_contain_text(
        "Ja: in 2025 ambulante hulp, afgesloten."
    )
    assert_accessible(medewerker)
    for page in (medewerker, partner):
        page.context.close()


def test_a_limburg_referral_waits_for_the_partners_acceptance(browser: Browser, server: Server):
    name = f"Mila Verwezen {secrets.token_hex(2)}"
    reference = case_in_step(server, "limburg", "doorverwijzing", name)
    regisseur = signed_in(browser, server, LIMBURG, "procesregisseur@limburg.demo")
    open_case(regisseur, server, LIMBURG, reference)
    regisseur.get_by_role("link", name="Doorverwijzing", exact=True).first.click()
    assert_accessible(regisseur)
    regisseur.get_by_label("Doorverwijzen naar").select_option(label="Bureau Jeugdzorg")
    regisseur.get_by_label("residentiële hulp (opvang, behandeling)").check()
    regisseur.get_by_label("Toelichting voor de partner").fill("Opvang nodig; graag snel.")
    regisseur.get_by_label(re.compile(rf"slachtoffer: {name}")).check()
    regisseur.get_by_label("naam", exact=True).check()
    regisseur.get_by_label("een wettelijke taak").check()
    regisseur.get_by_label("Reden om zonder toestemming te delen").fill(
        "Acuut gevaar voor een minderjarige."
    )
    saved(regisseur)
    regisseur.get_by_role("button", name="Naar 'Afsluiting'").click()
    expect(regisseur.get_by_role("alert")).to_contain_text("accepteert")

    partner = signed_in(browser, server, LIMBURG, "partnercontact@limburg.demo")
    partner.goto(server.url(LIMBURG, "/partner/"))
    waiting = partner.get_by_role("table", name=re.compile("Open doorverwijzingen"))
    waiting.get_by_role("link").last.click()
    expect(partner.locator("main")).to_contain_text("Opvang nodig; graag snel.")
    expect(partner.locator("main")).to_contain_text("Acuut gevaar voor een minderjarige.")
    assert_accessible(partner)
    partner.get_by_label("niet geaccepteerd").check()
    partner.get_by_role("button", name="Besluit versturen").click()
    expect(partner.get_by_role("alert")).to_contain_text("Geef de reden")
    partner.get_by_label("geaccepteerd", exact=True).check()
    partner.get_by_role("button", name="Besluit versturen").click()
    expect(partner.get_by_role("status").first).to_contain_text("naar het meldpunt gestuurd")

    open_case(regisseur, server, LIMBURG, reference)
    expect(regisseur.locator("section:has(#doorverwijzingen)")).to_contain_text("Geaccepteerd")
    regisseur.get_by_role("button", name="Naar 'Afsluiting'").click()
    expect(regisseur.get_by_role("status").first).to_contain_text("staat nu in stap 'Afsluiting'")
    for page in (regisseur, partner):
        page.context.close()


def test_a_partner_files_a_report_and_follows_it(browser: Browser, server: Server):
    partner = signed_in(browser, server, TWENTE, "partnercontact@twente.demo")
    partner.goto(server.url(TWENTE, "/partner/"))
    partner.get_by_role("link", name="Een melding doen").click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("Meldformulier")
    assert_accessible(partner)
    partner.get_by_label("Wat is uw zorg?").fill(
        "Een cliënte van ons vertelt over een vriend die haar geld en kleding geeft."
    )
    partner.get_by_role("group", name="Betrokkene 1").get_by_label("Leeftijd").fill("16")
    partner.wait_for_timeout(3200)  # a person's pace: the bot check wants three seconds
    partner.get_by_role("button", name="Melding versturen").click()
    expect(partner.get_by_role("status").first).to_contain_text("Uw melding is ontvangen")
    expect(partner.get_by_role("heading", level=1)).to_contain_text("Uw melding M-")
    assert_accessible(partner)
    partner.get_by_label("Antwoord op een vraag, of iets aanvullen").fill("Zij is 16 jaar.")
    partner.get_by_role("button", name="Versturen").click()
    expect(partner.locator("main")).to_contain_text("Zij is 16 jaar.")
    partner.get_by_role("link", name="Terug naar het partnerportaal").click()
    expect(partner.get_by_role("heading", name="Uw meldingen")).to_be_visible()
    partner.context.close()
