"""The national signalling of a person known in two regions: the Twente regiobeheerder
switches it on in Beheer and gives the meldpunt's contact details; when Limburg
registers the same person, the Twente procesregisseur's home page says so, with
Limburg's contact details and nothing of Limburg's case. Each page checked with axe at
desktop width and at 390 px."""

import secrets

from playwright.sync_api import Browser, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE, LIMBURG = "twente.localhost", "limburg.localhost"


def register_person(server: Server, region: str, name: str) -> str:
    """A report about `name` (born 2009) taken by the region's demo medewerker."""
    return server.shell(
        region,
        f"""
from accounts.models import User
from workflow.intake import offered_forms
from workflow.services import reports
actor = User.objects.get(email="medewerker@{region}.demo")
person = reports.PersonData(role="slachtoffer", name="{name}", birth_year=2009)
data = reports.ReportData(form_code=offered_forms().first().code, channel="telefoon",
    reporter_type="ouder", concern="Zorgen in {region}.", persons=[person])
print(reports.record_intake(data, actor=actor).report.casus.reference)
""",
    )


def switch_on_in_limburg(server: Server) -> None:
    server.shell(
        "limburg",
        """
from django_tenants.utils import get_public_schema_name, schema_context
from accounts.models import User
from tenants.models import Region
from workflow.services import matching
with schema_context(get_public_schema_name()):
    Region.objects.filter(slug="limburg").update(
        contact_name="Procesregie Limburg", contact_phone="043-7654321",
        contact_email="procesregie@limburg.example")
matching.set_taking_part(True, actor=User.objects.get(email="regiobeheerder@limburg.demo"))
print("aan")
""",
    )


def test_the_beheer_switch_and_the_signal_on_the_procesregisseurs_home(
    browser: Browser, server: Server
):
    admin = browser.new_context(locale="nl-NL").new_page()
    log_in(admin, server, TWENTE, "regiobeheerder@twente.demo")
    admin.goto(server.url(TWENTE, "/beheer/"))
    admin.get_by_role("link", name="Landelijke signalering").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Landelijke signalering")
    switch = admin.get_by_label("Doet mee aan de landelijke signalering")
    expect(switch).not_to_be_checked()
    expect(admin.get_by_text("een andere spelling van de naam wordt niet herkend")).to_be_visible()
    assert_accessible(admin)
    switch.check()
    admin.get_by_label("Contact: team of functie").fill("Procesregie Twente")
    admin.get_by_label("Contact: telefoon").fill("053-1234567")
    admin.get_by_label("Contact: e-mail").fill("procesregie@twente.example")
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_text("De landelijke signalering is opgeslagen.")).to_be_visible()
    admin.goto(server.url(TWENTE, "/beheer/landelijke-signalering/"))
    expect(admin.get_by_label("Doet mee aan de landelijke signalering")).to_be_checked()

    switch_on_in_limburg(server)
    name = f"Fenna Browser{secrets.token_hex(3)}"
    in_twente = register_person(server, "twente", name)
    in_limburg = register_person(server, "limburg", name.upper())

    regisseur = browser.new_context(locale="nl-NL").new_page()
    log_in(regisseur, server, TWENTE, "procesregisseur@twente.demo")
    signals = regisseur.get_by_role("region", name="Ook bekend bij een ander meldpunt")
    signal = signals.locator("li", has_text=f"casus {in_twente} ")
    expect(signal).to_contain_text(
        f"Een persoon in casus {in_twente} is ook bekend bij meldpunt Limburg"
    )
    expect(signal).to_contain_text("043-7654321")
    expect(signal).to_contain_text("procesregie@limburg.example")
    if in_limburg != in_twente:
        expect(signals).not_to_contain_text(in_limburg)
    expect(signals).not_to_contain_text("Zorgen in limburg")
    assert_accessible(regisseur)
    signal.get_by_role("link", name=f"Een persoon in casus {in_twente}").click()
    expect(regisseur.get_by_role("heading", level=1)).to_have_text(f"Casus {in_twente}")
