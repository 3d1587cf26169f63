"""The privacy officer filters the audit log, downloads a person's access overview and
checks the audit chain; a regiobeheerder sets a retention period and a legal hold."""

import re

from playwright.sync_api import Page, expect

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
