"""The user's guide's pictures: each role's main screens, as that role sees them in the demo.

`make screenshots` writes them into `docs/users/img/`, where the guide per role
(`docs/users/`) shows them; an ordinary test run writes them to a temporary folder.
Either way each screen must answer 200 to its role with its own heading, and each
picture the guide names must be one this test takes.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Server, log_in
from tests.serving import REPO

GUIDE = REPO / "docs" / "users"
TWENTE = "twente.localhost"
PLATFORM = "localhost"

# role file name → (host, demo account or None for a reporter, [(picture, path), ...])
SCREENS: dict[str, tuple[str, str | None, list[tuple[str, str]]]] = {
    "melder": (
        TWENTE,
        None,
        [("melder-formulier", "/melden/"), ("melder-volgen", "/melding/volgen/")],
    ),
    "medewerker": (
        TWENTE,
        "medewerker@twente.demo",
        [
            ("medewerker-overzicht", "/"),
            ("medewerker-casussen", "/casussen/"),
            ("medewerker-casus", "/casussen/{case}/"),
            ("medewerker-melding-opnemen", "/casussen/nieuw/"),
        ],
    ),
    "procesregisseur": (
        TWENTE,
        "procesregisseur@twente.demo",
        [("procesregisseur-overzicht", "/")],
    ),
    "screeningsteamlid": (
        TWENTE,
        "screeningsteamlid@twente.demo",
        [
            ("screeningsteamlid-overleggen", "/overleggen/"),
            ("screeningsteamlid-overleg", "/overleggen/{meeting}/"),
        ],
    ),
    "casuscoordinator": (
        TWENTE,
        "casuscoordinator@twente.demo",
        [("casuscoordinator-mijn-casussen", "/mijn-casussen/")],
    ),
    "partnercontact": (
        TWENTE,
        "partnercontact@twente.demo",
        [("partnercontact-portaal", "/partner/")],
    ),
    "regiobeheerder": (
        TWENTE,
        "regiobeheerder@twente.demo",
        [
            ("regiobeheerder-beheer", "/beheer/"),
            ("regiobeheerder-werkproces", "/beheer/werkproces/"),
            ("regiobeheerder-gebruikers", "/gebruikers/"),
        ],
    ),
    "analist": (
        TWENTE,
        "analist@twente.demo",
        [("analist-statistiek", "/statistiek/"), ("analist-kaart", "/statistiek/kaart/")],
    ),
    "privacyofficer": (
        TWENTE,
        "privacyofficer@twente.demo",
        [("privacyofficer-privacy", "/gegevensbescherming/")],
    ),
    "landelijk-beheerder": (
        PLATFORM,
        "landelijk@platform.demo",
        [("landelijk-regios", "/"), ("landelijk-benchmark", "/benchmark/")],
    ),
}


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    chosen = os.environ.get("SCREENSHOTS_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def demo_ids(server: Server) -> dict[str, str]:
    found = server.shell(
        "twente",
        "from workflow.models import Casus, Meeting\n"
        "case = Casus.objects.filter(closed_at__isnull=True).order_by('pk').first()\n"
        "meeting = Meeting.objects.filter(attendees__email='screeningsteamlid@twente.demo')"
        ".order_by('-starts_at').first()\n"
        "print(case.reference, meeting.pk)\n",
    ).split()
    return {"case": found[0], "meeting": found[1]}


@pytest.mark.parametrize("role", SCREENS)
def test_each_role_sees_its_main_screens(
    browser: Browser, server: Server, pictures: Path, demo_ids: dict[str, str], role: str
):
    host, account, screens = SCREENS[role]
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if account:
        log_in(page, server, host, account)
        expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    for picture, path in screens:
        response = page.goto(server.url(host, path.format(**demo_ids)))
        assert response is not None and response.status == 200, (role, path)
        expect(page.locator("h1").first).to_be_visible()
        page.screenshot(path=pictures / f"{picture}.png", full_page=False)
    context.close()


def test_the_guide_shows_only_pictures_this_test_takes():
    taken = {picture for _, _, screens in SCREENS.values() for picture, _ in screens}
    named = {
        match
        for page in GUIDE.glob("*.md")
        for match in re.findall(r"img/([\w-]+)\.png", page.read_text())
    }
    assert named <= taken, named - taken
    assert {page.stem for page in GUIDE.glob("*.md")} - {"README"} == set(SCREENS)
