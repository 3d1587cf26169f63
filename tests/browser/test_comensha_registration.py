"""A medewerker registers a victim with CoMensha: without written consent the screen
refuses in Dutch and says what is missing; once the victim's consent is recorded, the
form comes filled from the case, the registration downloads as a PDF and as a JSON
file holding the case's data, and is recorded as sent. The procesregisseur's home
lists the victim cases not registered yet, and downloads the year's figures for the
Nationaal Rapporteur, counts under 5 suppressed. Each page checked with axe at 1280 and
390 px."""

import io
import json
import re
import secrets

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE = "twente.localhost"
RAPPORTEUR = "Jaarcijfers voor de Nationaal Rapporteur"


def signed_in(browser: Browser, server: Server, who: str) -> Page:
    page = browser.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}, accept_downloads=True
    ).new_page()
    log_in(page, server, TWENTE, f"{who}@twente.demo")
    return page


def victim_case(server: Server, name: str) -> str:
    """A fresh case about a 17-year-old girl, reported by phone; no consent yet."""
    return server.shell(
        "twente",
        f"""
from django.utils import timezone
from accounts.models import User
from workflow.intake import offered_forms
from workflow.services import reports
actor = User.objects.get(email="medewerker@twente.demo")
person = reports.PersonData(role="slachtoffer", name="{name}",
    birth_year=timezone.localdate().year - 18, gender="v")
data = reports.ReportData(form_code=offered_forms().first().code, channel="telefoon",
    reporter_type="ouder", concern="Zorgen.", persons=[person])
print(reports.record_intake(data, actor=actor).report.casus.reference)
""",
    ).strip()


def not_registered(page: Page) -> int:
    """The number of cases in the procesregisseur's CoMensha block."""
    text = page.locator("#comensha-blok").inner_text()
    return int(re.search(r"(\d+) lopende casus", text).group(1))


def downloaded(page: Page, link: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    return download.value.path().read_bytes()


def test_a_victim_with_consent_is_registered_with_comensha_and_without_it_refused(
    browser: Browser, server: Server
):
    name = f"Lisa Comensha {secrets.token_hex(2)}"
    reference = victim_case(server, name)
    regisseur = signed_in(browser, server, "procesregisseur")
    block = regisseur.locator("#comensha-blok")
    expect(block.get_by_role("heading", name="Nog niet geregistreerd bij CoMensha")).to_be_visible()
    waiting = not_registered(regisseur)
    assert_accessible(regisseur)

    medewerker = signed_in(browser, server, "medewerker")
    medewerker.goto(server.url(TWENTE, f"/casussen/{reference}/"))
    medewerker.get_by_role("link", name="Registratie bij CoMensha", exact=True).click()
    refusal = medewerker.get_by_role("alert")
    expect(refusal).to_contain_text("Registreren kan nog niet.")
    expect(refusal).to_contain_text(
        f"Er is geen schriftelijke toestemming voor registratie bij CoMensha vastgelegd voor {name}."
    )
    expect(refusal).to_contain_text("de betrokkene zelf (16 jaar of ouder)")
    expect(medewerker.get_by_label("Land van herkomst")).to_have_count(0)
    assert_accessible(medewerker)

    medewerker.get_by_role("link", name="Toestemming vastleggen").click()
    medewerker.get_by_label(re.compile(name)).check()
    medewerker.get_by_label("registratie bij CoMensha").check()
    medewerker.get_by_label("de betrokkene zelf").check()
    medewerker.get_by_label("Voor wat precies?").fill("Registratie bij CoMensha, schriftelijk.")
    medewerker.get_by_role("button", name="Vastleggen").click()
    expect(medewerker.get_by_role("status").first).to_contain_text("De toestemming is vastgelegd.")

    medewerker.get_by_role("link", name="Registratie bij CoMensha", exact=True).click()
    expect(medewerker.get_by_role("alert")).to_have_count(0)
    expect(medewerker.get_by_label("Leeftijd")).to_have_value("17")
    expect(medewerker.get_by_label("vrouw of meisje")).to_be_checked()
    expect(medewerker.get_by_label("Signalerende organisatie")).to_have_value(
        "Meldpunt Loverboyproblematiek Twente"
    )
    medewerker.get_by_label("seksuele uitbuiting").check()
    medewerker.get_by_label("Land van herkomst").fill("Nederland")
    medewerker.get_by_label("registratie en opvang").check()
    assert_accessible(medewerker)
    medewerker.get_by_role("button", name="Registratie klaarzetten").click()
    expect(medewerker.get_by_role("status").first).to_contain_text("klaar om te versturen")
    assert_accessible(medewerker)

    fields = json.loads(downloaded(medewerker, "Registratie als gegevensbestand (JSON)"))
    assert fields["kenmerk_melder"] == reference
    assert fields["vorm_van_uitbuiting"] == "seksuele uitbuiting"
    assert fields["leeftijd"] == "17"
    assert fields["gender"] == "vrouw of meisje"
    assert fields["behoefte"] == "registratie en opvang"
    assert fields["toestemming_gegeven_door"] == "de betrokkene zelf"
    pdf = PdfReader(io.BytesIO(downloaded(medewerker, "Registratie als PDF")))
    text = " ".join(pdf.pages[0].extract_text().split())
    for value in (reference, "seksuele uitbuiting", "Nederland", "registratie en opvang"):
        assert value in text

    medewerker.get_by_label(re.compile("Hoe is de registratie verstuurd")).fill(
        "Per beveiligde e-mail."
    )
    medewerker.get_by_role("button", name="Vastleggen als verstuurd").click()
    expect(medewerker.locator("#verstuurd")).to_contain_text("Verstuurd aan CoMensha op")

    regisseur.reload()
    assert not_registered(regisseur) == waiting - 1

    # The year's figures for the Nationaal Rapporteur: this one registration is under 5.
    regisseur.goto(server.url(TWENTE, "/statistiek/jaarverslag/"))
    section = regisseur.locator("section", has=regisseur.get_by_role("heading", name=RAPPORTEUR))
    section.get_by_label("Jaar").select_option(str(timezone.localdate().year))
    assert_accessible(regisseur)
    with regisseur.expect_download() as download:
        section.get_by_role("button", name="Jaarcijfers downloaden").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    cells = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "<5" in cells
    assert [c for c in cells if isinstance(c, int) and c < 5] == []
