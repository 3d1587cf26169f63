"""The privacy officer filters the audit log, downloads a person's access overview and
checks the audit chain; finds a person by name and sees which partner organisation and
account read her data, and through which channel; a regiobeheerder sets a retention
period and a legal hold."""

import re
import secrets

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import Server, assert_accessible, log_in
from tests.serving import role_env, run_in_schema

TWENTE = "twente.localhost"
LIMBURG = "limburg.localhost"


def a_case_read_by_a_medewerker(page: Page, server: Server) -> str:
    log_in(page, server, TWENTE, "medewerker@twente.demo")
    page.goto(server.url(TWENTE, "/casussen/"))
    page.locator("tbody tr").first.get_by_role("rowheader").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus ")
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.get_by_role("button", name="Uitloggen").click()
    return reference


def test_the_privacy_officer_filters_the_log_and_downloads_an_overview(page: Page, server: Server):
    reference = a_case_read_by_a_medewerker(page, server)
    log_in(page, server, TWENTE, "privacyofficer@twente.demo")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Casussen")).to_have_count(0)  # no case content
    menu.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    assert_accessible(page)

    page.get_by_role("link", name="Auditlog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auditlog")
    page.get_by_label("Casus (code)").fill(reference)
    page.get_by_label("Handeling").select_option(label="inzien")
    page.get_by_role("button", name="Filteren").click()
    table = page.get_by_role("table", name="Regels van het auditlog, nieuwste eerst")
    expect(table.locator("tbody tr").first).to_contain_text("medewerker@twente.demo")
    for row in table.locator("tbody tr").all():
        expect(row).to_contain_text(reference)
        expect(row).to_contain_text("inzien")
    assert_accessible(page)

    page.goto(server.url(TWENTE, "/gegevensbescherming/"))
    page.get_by_role("link", name="Inzage voor een betrokkene").click()
    page.get_by_label("Casuscode").fill(reference)
    page.get_by_role("button", name="Betrokkenen tonen").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Betrokkene \d+")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"in casus {reference}")
    overview = page.get_by_role("table", name="Wie uw gegevens inzag of wijzigde, oudste eerst")
    expect(overview).to_contain_text(
        re.compile("een medewerker meldpunt van Meldpunt Twente", re.IGNORECASE)
    )
    expect(overview).not_to_contain_text("medewerker@twente.demo")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF voor de betrokkene downloaden").click()
    pdf = download.value
    assert pdf.suggested_filename.startswith("inzage-betrokkene-")
    with open(pdf.path(), "rb") as content:
        assert content.read(4) == b"%PDF"


def test_a_regiobeheerder_sets_a_retention_period_and_a_legal_hold(page: Page, server: Server):
    reference = server.shell(
        "twente",
        "from workflow.models import Casus\nprint(Casus.objects.order_by('pk').last().reference)",
    )
    log_in(page, server, TWENTE, "regiobeheerder@twente.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Privacy").click()
    page.get_by_role("link", name="Bewaartermijnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewaartermijnen")
    assert_accessible(page)

    field = page.get_by_label("Afsluitreden 'Geen loverboyproblematiek' (maanden)")
    field.fill("0")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul minstens 1 maand in.")
    assert_accessible(page)
    field.fill("12")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De bewaartermijnen zijn opgeslagen.")
    expect(field).to_have_value("12")

    page.get_by_role("link", name="Bewaarplicht instellen of opheffen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewaarplicht")
    page.get_by_label("Casuscode").fill(reference)
    page.get_by_label("Reden").fill("Lopend politieonderzoek")
    page.get_by_role("button", name="Bewaarplicht instellen").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Op casus {reference} rust nu een bewaarplicht."
    )
    row = page.get_by_role("row", name=re.compile(re.escape(reference)))
    expect(row).to_contain_text("Lopend politieonderzoek")
    assert_accessible(page)

    row.get_by_role("link", name=f"Bewaarplicht op {reference} opheffen").click()
    page.get_by_label("Reden van opheffen").fill("Onderzoek afgerond")
    page.get_by_role("button", name="Bewaarplicht opheffen").click()
    expect(page.get_by_role("status")).to_contain_text("is opgeheven")
    expect(row).to_contain_text("Onderzoek afgerond")


def test_the_privacy_officer_checks_the_audit_chain_and_finds_a_changed_line(
    page: Page, server: Server
):
    log_in(page, server, LIMBURG, "privacyofficer@limburg.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Privacy").click()
    page.get_by_role("link", name="Auditketen controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auditketen controleren")
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Keten intact, \d+ regels"))
    assert_accessible(page)

    # Someone with the database owner's power lifts the append-only trigger and edits a line.
    owner = server.env | role_env(server.env["DATABASE_URL"], "owner")
    changed = run_in_schema(
        owner,
        "limburg",
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        # In the region the connection takes the region's role; the owner acts as itself.
        "    cursor.execute('RESET ROLE')\n"
        "    cursor.execute('ALTER TABLE audit_auditentry DISABLE TRIGGER"
        " audit_auditentry_no_update_delete')\n"
        "    cursor.execute(\"UPDATE audit_auditentry SET role = 'vervalst' WHERE id ="
        " (SELECT min(id) FROM audit_auditentry WHERE user_email <> '') RETURNING id\")\n"
        "    print(cursor.fetchone()[0])\n"
        "    cursor.execute('ALTER TABLE audit_auditentry ENABLE TRIGGER"
        " audit_auditentry_no_update_delete')",
    )
    page.reload()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("De keten is gebroken")
    expect(alert).to_contain_text(f"Eerste breuk: regel {changed} van ")
    assert_accessible(page)


def a_request_shared_with_jarabee(server: Server, name: str) -> tuple[str, str]:
    """A case whose victim `name` (born 2011) is shared with Jarabee in an information
    request (set-up through the service, as a medewerker would on the case page). As the
    owner: a shell in a schema as the app role does not take on the region's role."""
    owner = server.env | role_env(server.env["DATABASE_URL"], "owner")
    return run_in_schema(
        owner,
        "twente",
        f"""
from accounts.models import User
from configuratie.models import Partner
from workflow.services import information, reports
actor = User.objects.get(email="medewerker@twente.demo")
person = reports.PersonData(role="slachtoffer", name="{name}", birth_year=2011)
data = reports.ReportData(form_code="meldformulier", channel="telefoon", reporter_type="ouder",
    concern="Zorgen om mijn dochter.", persons=[person])
casus = reports.record_intake(data, actor=actor).report.casus
asked = information.request_information(casus, actor=actor,
    partner=Partner.objects.get(name="Jarabee"), question="Is zij bij u bekend?",
    persons=list(casus.persons.all()), shared_fields=["naam", "geboortejaar"],
    legal_basis="convenant", legal_basis_text="Nodig om de veiligheid in te schatten.")
print(casus.reference, asked.pk)
""",
    ).split()


def test_the_privacy_officer_finds_a_person_by_name_and_sees_the_partner_that_read_her_data(
    browser: Browser, server: Server
):
    name = f"Roos Gedeeld{secrets.token_hex(2)}"
    reference, request = a_request_shared_with_jarabee(server, name)
    partner = browser.new_context(locale="nl-NL").new_page()
    log_in(partner, server, TWENTE, "partnercontact@twente.demo")
    partner.goto(server.url(TWENTE, f"/partner/verzoeken/{request}/"))
    expect(partner.locator("main")).to_contain_text(name)
    partner.context.close()

    page = browser.new_context(locale="nl-NL").new_page()
    log_in(page, server, TWENTE, "privacyofficer@twente.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Privacy").click()
    page.get_by_role("link", name="Inzage voor een betrokkene").click()
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul de naam van de betrokkene in.")
    page.get_by_label("Naam van de betrokkene").fill(name.upper())
    page.get_by_role("button", name="Zoeken").click()
    found = page.get_by_role("link", name=re.compile(rf"slachtoffer\) in casus {reference}"))
    expect(found).to_have_count(1)
    expect(page.locator("main")).to_contain_text("de volledige naam komt overeen")
    expect(page.locator("main")).not_to_contain_text(name)
    assert name.upper() not in page.url
    assert_accessible(page)

    found.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"in casus {reference}")
    overview = page.get_by_role("table", name="Wie uw gegevens inzag of wijzigde, oudste eerst")
    read_by_partner = overview.get_by_role("row").filter(has_text="via het partnerportaal")
    expect(read_by_partner).to_contain_text(
        "Een contactpersoon van Jarabee, convenantpartner van Meldpunt Twente"
        " (account partnercontact@twente.demo), via het partnerportaal"
    )
    expect(read_by_partner).to_contain_text("heeft uw gegevens ingezien")
    expect(overview).to_contain_text("om bij een verzoek om inzage de juiste persoon te vinden")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF voor de betrokkene downloaden").click()
    text = "".join(
        "".join(sheet.extract_text().split()) for sheet in PdfReader(download.value.path()).pages
    )
    assert "JarabeeconvenantpartnervanMeldpuntTwente" in text.replace(",", "")
    assert "(accountpartnercontact@twente.demo),viahetpartnerportaal" in text
    assert name.replace(" ", "") not in text
    page.context.close()
