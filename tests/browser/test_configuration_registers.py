"""Twente's regiobeheerder keeps the region's registers under Beheer: partners with their
covenants and contact persons, priorities, the lists, the settings, and the whole
configuration as a file to download and read in again."""

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE = "twente.localhost"
OPEN_ACUTE_CASE = (
    "from accounts.models import User\n"
    "from configuratie.models import Priority\n"
    "from workflow import engine\n"
    "casus = engine.open_case(\n"
    "    actor=User.objects.get(email='procesregisseur@twente.demo'),\n"
    "    priority=Priority.objects.get(code='acuut'),\n"
    ")\n"
    "print(casus.pk)"
)
BROKEN_YAML = b"werkproces:\n  naam: Kapot\n  stappen: [\n    - code: a\n"


def unique_suffix() -> str:
    """The server's database lives for the whole session: every record gets a new name."""
    return uuid.uuid4().hex[:8]


def open_beheer(page: Page, server: Server) -> None:
    log_in(page, server, TWENTE, "regiobeheerder@twente.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht meldpunt Twente")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beheer").click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Beheer van meldpunt Twente")


def open_register(page: Page, server: Server, title: str) -> None:
    """From the Beheer index, open one register by its link."""
    page.goto(server.url(TWENTE, "/beheer/"))
    page.get_by_role("main").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def row_of(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))


def test_beheer_index_lists_every_configuration_screen(page: Page, server: Server):
    open_beheer(page, server)
    main = page.get_by_role("main")
    expect(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beheer")
    ).to_have_attribute("aria-current", "page")
    expected = {
        "Werkproces": "/beheer/werkproces/",
        "Partnernetwerk": "/beheer/partners/",
        "Prioriteiten": "/beheer/prioriteiten/",
        "Signalen": "/beheer/signalen/",
        "Casustypen": "/beheer/casustypen/",
        "Meldkanalen": "/beheer/meldkanalen/",
        "Meldformulieren": "/beheer/meldformulieren/",
        "Evaluatievragen": "/beheer/evaluatievragen/",
        "Afsluitredenen": "/beheer/afsluitredenen/",
        "Terugkoppelsjablonen": "/beheer/terugkoppelsjablonen/",
        "Risicotaxatie: vragen": "/beheer/risicovragen/",
        "Risicotaxatie: niveaus": "/beheer/risiconiveaus/",
        "Instellingen": "/beheer/instellingen/",
        "Configuratie downloaden": "/beheer/configuratie/export/",
        "inlezen": "/beheer/configuratie/import/",
    }
    for name, href in expected.items():
        expect(main.get_by_role("link", name=name, exact=True)).to_have_attribute("href", href)
    assert_accessible(page)

    # Every screen behind those links (but the download) opens and passes axe.
    for name, href in expected.items():
        if name == "Configuratie downloaden":
            continue
        response = page.goto(server.url(TWENTE, href))
        assert response.status == 200, href
        expect(page.get_by_role("heading", level=1)).not_to_be_empty()
        assert_accessible(page)


def test_partner_with_covenant_and_contact_person(page: Page, server: Server):
    suffix = unique_suffix()
    partner = f"Jongerenwerk Hengelo {suffix}"
    contact = f"Fatima de Vries {suffix}"
    signed_on = (date.today() - timedelta(days=30)).isoformat()

    open_beheer(page, server)
    page.get_by_role("main").get_by_role("link", name="Partnernetwerk", exact=True).click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/partners/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnernetwerk")
    table = page.get_by_role("table", name="Partnernetwerk")
    for preset_partner in ("CoMensha", "Jarabee", "Veilig Thuis Twente"):
        expect(row_of(page, preset_partner)).to_have_count(1)
    expect(row_of(page, "Jarabee")).to_contain_text("Jeugd")
    expect(table).not_to_contain_text(partner)
    assert_accessible(page)

    page.get_by_role("link", name="Toevoegen").click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/partners/nieuw/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Toevoegen aan Partnernetwerk")
    assert_accessible(page)

    # Covenant signed, but no date: the summary says so, and everything typed stays.
    page.get_by_label("Naam", exact=True).first.fill(partner)
    page.get_by_label("Soort").select_option(label="Jeugd")
    page.get_by_label("Convenant", exact=True).select_option(label="getekend")
    page.get_by_label("informatieronde").check()
    new_contact = page.get_by_role("group", name="Nieuwe contactpersoon")
    new_contact.get_by_label("Naam").fill(contact)
    new_contact.get_by_label("Functie").fill("Jongerenwerker")
    page.get_by_role("button", name="Opslaan").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Controleer de volgende punten")
    expect(
        summary.get_by_role(
            "link", name="Convenant getekend op: Vul in wanneer het convenant is getekend."
        )
    ).to_have_attribute("href", "#id_covenant_signed_on")
    expect(page.get_by_label("Convenant getekend op")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Naam", exact=True).first).to_have_value(partner)
    expect(page.get_by_label("Soort")).to_have_value("jeugd")
    expect(page.get_by_label("Convenant", exact=True)).to_have_value("getekend")
    expect(page.get_by_label("informatieronde")).to_be_checked()
    expect(new_contact.get_by_label("Naam")).to_have_value(contact)
    expect(new_contact.get_by_label("Functie")).to_have_value("Jongerenwerker")
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("^Convenant getekend op")).click()
    expect(page.get_by_label("Convenant getekend op")).to_be_focused()

    page.get_by_label("Convenant getekend op").fill(signed_on)
    new_contact.get_by_label("E-mailadres").fill(f"fatima-{suffix}@jongerenwerk.example")
    new_contact.get_by_label("Telefoon").fill("074 123 45 67")
    page.get_by_role("button", name="Opslaan").click()

    # (The browser keeps the #fragment of the summary link across the redirect.)
    expect(page).to_have_url(re.compile(r"/beheer/partners/(#id_covenant_signed_on)?$"))
    expect(page.get_by_role("status")).to_contain_text(f"'{partner}' is opgeslagen.")
    row = row_of(page, partner)
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text("Jeugd")
    expect(cells.nth(1)).to_have_text("getekend (geldig)")
    expect(cells.nth(2)).to_have_text("informatieronde")
    expect(cells.nth(3)).to_have_text("1")
    assert_accessible(page)

    # Open again: everything saved is shown, the signing date too; remove the contact.
    row.get_by_role("link", name=partner).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"'{partner}' wijzigen")
    saved_contact = page.get_by_role("group", name=contact)
    expect(saved_contact.get_by_label("Functie")).to_have_value("Jongerenwerker")
    assert_accessible(page)
    expect(page.get_by_label("Convenant getekend op")).to_have_value(signed_on)
    remove_contact_and_save(page, partner, contact)
    expect(page.get_by_label("Convenant getekend op")).to_have_value(
        signed_on
    )  # still there after a save


def remove_contact_and_save(page: Page, partner: str, contact: str) -> None:
    """On a partner's edit screen: tick the contact's delete box and save."""
    page.get_by_role("group", name=contact).get_by_label("Verwijderen").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/beheer/partners/$"))
    expect(page.get_by_role("status")).to_contain_text(f"'{partner}' is opgeslagen.")
    row = row_of(page, partner)
    expect(row.get_by_role("cell").nth(3)).to_have_text("0")
    assert_accessible(page)
    row.get_by_role("link", name=partner).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"'{partner}' wijzigen")
    expect(page.get_by_role("group", name=contact)).to_have_count(0)
    expect(page.get_by_role("group", name="Nieuwe contactpersoon")).to_have_count(1)


def test_contact_person_is_removed_from_a_partner(page: Page, server: Server):
    """The contact formset on its own, on a partner whose covenant needs no date."""
    suffix = unique_suffix()
    partner = f"Wijkteam Almelo {suffix}"
    contact = f"Sanne Bulut {suffix}"
    open_beheer(page, server)
    page.goto(server.url(TWENTE, "/beheer/partners/nieuw/"))
    page.get_by_label("Naam", exact=True).first.fill("CoMensha")  # taken
    page.get_by_label("Soort").select_option(label="Gemeente")
    page.get_by_label("Convenant", exact=True).select_option(label="in voorbereiding")
    page.get_by_label("doorverwijzing").check()
    new_contact = page.get_by_role("group", name="Nieuwe contactpersoon")
    new_contact.get_by_label("Naam").fill(contact)
    new_contact.get_by_label("E-mailadres").fill("geen-adres")  # invalid: kept, explained
    page.get_by_role("button", name="Opslaan").click()
    alerts = page.get_by_role("alert")
    expect(alerts.get_by_role("link", name="Naam: Deze partner bestaat al.")).to_have_attribute(
        "href", "#id_name"
    )
    expect(
        alerts.get_by_role("link", name="E-mailadres: Voer een geldig e-mailadres in.")
    ).to_have_attribute("href", "#id_contacts-0-email")
    expect(new_contact.get_by_label("Naam")).to_have_value(contact)
    expect(new_contact.get_by_label("E-mailadres")).to_have_value("geen-adres")
    expect(page.get_by_label("Convenant", exact=True)).to_have_value("in_voorbereiding")
    expect(page.get_by_label("doorverwijzing")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Naam", exact=True).first.fill(partner)
    new_contact.get_by_label("E-mailadres").fill(f"sanne-{suffix}@almelo.example")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(f"'{partner}' is opgeslagen.")
    row = row_of(page, partner)
    expect(row.get_by_role("cell").nth(1)).to_have_text("in voorbereiding")
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")

    row.get_by_role("link", name=partner).click()
    expect(page.get_by_role("group", name=contact).get_by_label("E-mailadres")).to_have_value(
        f"sanne-{suffix}@almelo.example"
    )
    remove_contact_and_save(page, partner, contact)


def test_priority_with_colour_and_one_in_use_stays(page: Page, server: Server):
    suffix = unique_suffix()
    code = f"spoed-{suffix}"
    name = f"Spoed {suffix}"

    open_beheer(page, server)
    open_register(page, server, "Prioriteiten")
    for preset in ("Acuut", "Hoog", "Normaal"):
        expect(row_of(page, preset)).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toevoegen aan Prioriteiten")
    assert_accessible(page)
    page.get_by_label("Code").fill("acuut")  # taken: refused in Dutch, input kept
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Kleur").fill("#1a7f37")
    page.get_by_label("Reactietijd in uren").fill("12")
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_role("alert").get_by_role("link", name="Code: Deze code bestaat al.")
    ).to_have_attribute("href", "#id_code")
    expect(page.get_by_label("Naam")).to_have_value(name)
    expect(page.get_by_label("Kleur")).to_have_value("#1a7f37")
    expect(page.get_by_label("Reactietijd in uren")).to_have_value("12")
    assert_accessible(page)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(f"'{name}' is opgeslagen.")
    row = row_of(page, name)
    expect(row.get_by_role("cell").nth(0)).to_have_text(code)
    expect(row.get_by_role("cell").nth(1)).to_have_text("12")
    assert_accessible(page)

    row.get_by_role("link", name=name).click()
    expect(page.get_by_label("Kleur")).to_have_value("#1a7f37")
    assert_accessible(page)

    # A priority a case uses cannot go.
    server.shell("twente", OPEN_ACUTE_CASE)
    page.goto(server.url(TWENTE, "/beheer/prioriteiten/"))
    row_of(page, "Acuut").get_by_role("link", name="Acuut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("'Acuut' wijzigen")
    edit_url = page.url
    page.get_by_role("button", name="Verwijderen").click()
    expect(page).to_have_url(edit_url)
    expect(page.get_by_role("alert")).to_contain_text(
        "'Acuut' is in gebruik in casussen en kan niet worden verwijderd."
    )
    assert_accessible(page)
    page.goto(server.url(TWENTE, "/beheer/prioriteiten/"))
    expect(row_of(page, "Acuut")).to_have_count(1)

    # One nobody uses can.
    row_of(page, name).get_by_role("link", name=name).click()
    page.get_by_role("button", name="Verwijderen").click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/prioriteiten/"))
    expect(page.get_by_role("status")).to_contain_text(f"'{name}' is verwijderd.")
    expect(row_of(page, name)).to_have_count(0)
    assert_accessible(page)


def test_feedback_template_is_added_edited_and_taken_out_of_use(page: Page, server: Server):
    suffix = unique_suffix()
    name = f"Melding doorgezet naar zorg {suffix}"
    renamed = f"Melding doorgezet naar zorgpartner {suffix}"
    text = "Beste melder, uw melding is doorgezet naar een zorgpartner in Twente."

    open_beheer(page, server)
    open_register(page, server, "Terugkoppelsjablonen")
    expect(row_of(page, "Melding ontvangen en in behandeling")).to_contain_text("ja")
    assert_accessible(page)

    page.get_by_role("link", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toevoegen aan Terugkoppelsjablonen")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()  # empty: a Dutch error
    expect(
        page.get_by_role("alert").get_by_role("link", name="Naam: Vul een waarde in.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Tekst").fill(text)
    expect(page.get_by_label("In gebruik")).to_be_checked()
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/terugkoppelsjablonen/"))
    expect(page.get_by_role("status")).to_contain_text(f"'{name}' is opgeslagen.")
    expect(row_of(page, name).get_by_role("cell")).to_have_text("ja")
    assert_accessible(page)

    row_of(page, name).get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"'{name}' wijzigen")
    expect(page.get_by_label("Tekst")).to_have_value(text)
    assert_accessible(page)
    page.get_by_label("Naam").fill(renamed)
    page.get_by_label("Tekst").fill(text + " Dank voor uw melding.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(f"'{renamed}' is opgeslagen.")
    expect(row_of(page, name)).to_have_count(0)
    expect(row_of(page, renamed).get_by_role("cell")).to_have_text("ja")

    row_of(page, renamed).get_by_role("link", name=renamed).click()
    expect(page.get_by_label("Tekst")).to_have_value(text + " Dank voor uw melding.")
    page.get_by_label("In gebruik").uncheck()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(f"'{renamed}' is opgeslagen.")
    expect(row_of(page, renamed).get_by_role("cell")).to_have_text("nee")
    assert_accessible(page)


def test_settings_are_saved_and_a_wrong_value_is_explained(page: Page, server: Server):
    open_beheer(page, server)
    page.get_by_role("main").get_by_role("link", name="Instellingen", exact=True).click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/instellingen/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Instellingen")
    retention = page.get_by_label("Bewaartermijn na afsluiting (maanden)")
    opt_in = page.get_by_label("Doet mee aan de landelijke benchmark")
    original_retention = retention.input_value()
    original_opt_in = opt_in.is_checked()
    assert_accessible(page)

    # A negative number: a Dutch error on the field, and what was typed stays.
    retention.fill("-6")
    opt_in.set_checked(not original_opt_in)
    page.get_by_role("button", name="Opslaan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Controleer de volgende punten")
    expect(
        summary.get_by_role("link", name=re.compile(r"^Bewaartermijn na afsluiting \(maanden\): "))
    ).to_have_attribute("href", "#id_retention_months")
    expect(summary).to_contain_text("Zorg ervoor dat deze waarde minstens 0 is.")
    expect(retention).to_have_attribute("aria-invalid", "true")
    expect(retention).to_have_value("-6")
    expect(opt_in).to_be_checked(checked=not original_opt_in)
    assert_accessible(page)

    # Empty: also refused in Dutch.
    retention.fill("")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit veld is vereist.")
    expect(opt_in).to_be_checked(checked=not original_opt_in)
    assert_accessible(page)

    retention.fill("84")
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/"))
    expect(page.get_by_role("status")).to_contain_text("De instellingen zijn opgeslagen.")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Instellingen", exact=True).click()
    expect(retention).to_have_value("84")
    expect(opt_in).to_be_checked(checked=not original_opt_in)

    # Back as they were, for the other tests of the session.
    retention.fill(original_retention)
    opt_in.set_checked(original_opt_in)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De instellingen zijn opgeslagen.")


def active_version(page: Page) -> int:
    active = page.get_by_role("row").filter(has=page.get_by_role("cell", name="actief", exact=True))
    text = active.get_by_role("link", name=re.compile(r"^Versie \d+$")).inner_text()
    return int(text.split()[1])


def test_configuration_downloads_and_reads_in_again(page: Page, server: Server, tmp_path: Path):
    open_beheer(page, server)
    with page.expect_download() as download_info:
        page.get_by_role("main").get_by_role("link", name="Configuratie downloaden").click()
    download = download_info.value
    assert re.fullmatch(r"configuratie-twente-\d{8}\.yaml", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "Werkproces Twente" in text
    assert "CoMensha" in text

    page.goto(server.url(TWENTE, "/beheer/werkproces/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkproces")
    before = active_version(page)
    assert_accessible(page)

    page.get_by_role("link", name="Configuratie inlezen").click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/configuratie/import/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Configuratie inlezen")
    assert_accessible(page)

    # Nothing chosen: a Dutch error.
    with page.expect_response(re.compile(r"/beheer/configuratie/import/$")) as nothing:
        page.get_by_role("button", name="Inlezen").click()
    assert nothing.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Kies een configuratiebestand.")
    assert_accessible(page)

    # A broken file: the problems, in Dutch, and nothing changed.
    page.get_by_label("Configuratiebestand (.yaml)").set_input_files(
        {"name": "kapot.yaml", "mimeType": "application/yaml", "buffer": BROKEN_YAML}
    )
    with page.expect_response(re.compile(r"/beheer/configuratie/import/$")) as broken:
        page.get_by_role("button", name="Inlezen").click()
    assert broken.value.status == 400
    problems = page.get_by_role("alert", name="Het bestand is niet ingelezen")
    expect(problems).to_contain_text(
        re.compile(r"Het bestand is geen geldige configuratie \(regel \d+\)\.")
    )
    assert_accessible(page)

    # Valid YAML that is not a usable configuration: every problem at once.
    page.get_by_label("Configuratiebestand (.yaml)").set_input_files(
        {"name": "leeg.yaml", "mimeType": "application/yaml", "buffer": b"naam: Leeg\n"}
    )
    with page.expect_response(re.compile(r"/beheer/configuratie/import/$")) as empty:
        page.get_by_role("button", name="Inlezen").click()
    assert empty.value.status == 400
    problems = page.get_by_role("alert", name="Het bestand is niet ingelezen")
    expect(problems).to_contain_text("Het werkproces heeft geen naam.")
    expect(problems).to_contain_text("Er is geen enkele prioriteit.")
    expect(problems).to_contain_text("Het risicotaxatie-instrument heeft geen niveaus.")
    assert_accessible(page)

    page.goto(server.url(TWENTE, "/beheer/werkproces/"))
    assert active_version(page) == before

    # The downloaded file itself reads in: a new active version.
    page.get_by_role("link", name="Configuratie inlezen").click()
    page.get_by_label("Configuratiebestand (.yaml)").set_input_files(saved)
    page.get_by_role("button", name="Inlezen").click()
    expect(page).to_have_url(server.url(TWENTE, "/beheer/werkproces/"))
    expect(page.get_by_role("status")).to_contain_text(
        "De configuratie is ingelezen; het werkproces is nu versie"
    )
    after = active_version(page)
    assert after > before
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=f"Versie {after}", exact=True)
    )
    expect(row).to_contain_text("Werkproces Twente")
    expect(row).to_contain_text("actief")
    old = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=f"Versie {before}", exact=True)
    )
    expect(old).to_contain_text("vervallen")
    assert_accessible(page)
