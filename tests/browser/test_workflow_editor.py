"""Limburg's regiobeheerder adds 'Nazorg' between afsluiting and evaluatie; a new case
follows the new version while a case opened earlier stays on the old one."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

LIMBURG = "limburg.localhost"
OPEN_CASE = (
    "from accounts.models import User\n"
    "from workflow import engine\n"
    "casus = engine.open_case(actor=User.objects.get(email='procesregisseur@limburg.demo'))\n"
    "print(casus.pk, casus.definition.version)"
)


def case_version(server, pk: str) -> str:
    code = (
        f"from workflow.models import Casus\nprint(Casus.objects.get(pk={pk}).definition.version)"
    )
    return server.shell("limburg", code)


def test_limburg_adds_nazorg_and_only_new_cases_follow_it(page: Page, server):
    old_case, old_version = server.shell("limburg", OPEN_CASE).split()

    log_in(page, server, LIMBURG, "regiobeheerder@limburg.demo")
    page.get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Werkproces", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkproces")
    assert_accessible(page)
    page.get_by_role("button", name="Werkproces wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Speerpuntenmethodiek Limburg, versie"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Stap toevoegen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Stap opslaan").click()  # empty: errors, nothing lost
    expect(page.get_by_role("alert")).to_contain_text("Vul een code in.")
    assert_accessible(page)
    page.get_by_label("Code").fill("nazorg")
    page.get_by_label("Naam", exact=True).fill("Nazorg")
    page.get_by_label("Uitleg").fill(
        "Contact met betrokkene na afsluiting, om terugval te voorkomen."
    )
    page.get_by_label("Soort stap").select_option(label="Anders (eigen stap)")
    page.get_by_label("Verantwoordelijke rol").select_option(label="Casuscoördinator")
    page.get_by_label("Termijn in dagen (niet verplicht)", exact=True).fill("30")
    page.get_by_label("Invoegen na stap").select_option(label="Afsluiting")
    page.get_by_role("button", name="Stap opslaan").click()

    expect(page.get_by_role("status")).to_contain_text("Stap 'Nazorg' is opgeslagen.")
    names = page.locator("tbody th").all_inner_texts()
    assert names.index("Afsluiting") + 1 == names.index("Nazorg") == names.index("Evaluatie") - 1
    expect(page.get_by_role("row", name=re.compile("^Afsluiting"))).to_contain_text("Nazorg")
    expect(page.get_by_role("row", name=re.compile("^Nazorg"))).to_contain_text("Evaluatie")
    page.get_by_role("button", name="Deze versie activeren").click()
    expect(page.get_by_role("status")).to_contain_text("is actief")
    assert_accessible(page)
    new_version = re.search(
        r"versie (\d+)", page.get_by_role("heading", level=1).inner_text()
    ).group(1)
    assert int(new_version) > int(old_version)

    _new_case, version_of_new = server.shell("limburg", OPEN_CASE).split()
    assert version_of_new == new_version
    assert case_version(server, old_case) == old_version
    page.get_by_role("link", name="Alle versies").click()
    expect(page.get_by_role("row", name=re.compile(f"Versie {old_version} "))).to_contain_text(
        "vervallen"
    )
    expect(page.get_by_role("row", name=re.compile(f"Versie {new_version} "))).to_contain_text(
        "actief"
    )
