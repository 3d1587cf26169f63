"""Meetings in calendars, in Chromium: Twente's medewerker plans a meeting with a guest,
moves it and cancels it, and every change reaches the guest as a calendar invitation;
the screening team member makes a calendar subscription, a calendar program fetches it
without signing in, and once revoked it opens nothing."""

import re
import secrets
import urllib.error
import urllib.request

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

TWENTE = "twente.localhost"


def test_a_meeting_is_planned_moved_and_cancelled_and_the_guest_gets_each_invitation(
    page: Page, server: Server
):
    guest = f"gast-{secrets.token_hex(4)}@veiligheidshuis.example"
    log_in(page, server, TWENTE, "medewerker@twente.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleggen").click()
    page.get_by_role("link", name="Overleg plannen").click()
    page.get_by_label("Casusoverleg").check()
    page.get_by_label("Datum en tijd").fill("2030-03-04T10:00")
    page.get_by_label("Plaats").fill("Veiligheidshuis Enschede")
    page.get_by_label(re.compile(r"\(.*medewerker", re.IGNORECASE)).first.check()
    first_guest = page.get_by_role("group", name="Gast 1")
    first_guest.get_by_label("Naam").fill("Gerda Gast")
    first_guest.get_by_label("Organisatie").select_option(index=1)
    first_guest.get_by_label("E-mailadres").fill(guest)
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_role("status")).to_contain_text("Het overleg is gepland.")

    page.get_by_role("link", name="Tijd of plaats wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tijd of plaats wijzigen")
    assert_accessible(page)
    page.get_by_label("Datum en tijd").fill("2030-03-05T14:30")
    page.get_by_label("Plaats").fill("https://video.example.org/casusoverleg")
    page.get_by_role("button", name="Wijziging opslaan en versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Het overleg is gewijzigd.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("5 maart 2030 14:30")

    page.get_by_role("link", name="Overleg afzeggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overleg afzeggen")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, overleg afzeggen").click()
    expect(page.get_by_role("status")).to_contain_text("Het overleg is afgezegd.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("afgezegd")
    expect(page.get_by_role("link", name="Tijd of plaats wijzigen")).to_have_count(0)
    assert_accessible(page)

    server.deliver_mail("twente")
    # The file backend writes a batch to one file, a line of dashes after each message.
    messages = [m for batch in server.mails() for m in batch.split("-" * 79)]
    to_guest = [m for m in messages if f"To: {guest}" in m]
    assert len(to_guest) == 3
    sent = "\n".join(to_guest)
    assert sent.count("Content-Type: text/calendar") == 3
    assert sent.count('method="REQUEST"') == 2 and sent.count('method="CANCEL"') == 1


def test_a_screening_team_member_subscribes_their_calendar_and_revokes_it(
    page: Page, server: Server
):
    log_in(page, server, TWENTE, "screeningsteamlid@twente.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Agenda-abonnement"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overleggen in uw agenda")
    assert_accessible(page)
    page.get_by_role("button", name="Abonnementsadres maken").click()
    address = page.locator("#abonnementsadres").inner_text()
    assert re.fullmatch(rf"http://{TWENTE}:{server.port}/agenda/[\w-]+/overleggen\.ics", address)
    assert_accessible(page)

    # A calendar program: no session, the address is the key (sent to the loopback
    # address with the region's Host, as this machine's resolver knows no *.localhost).
    status, content_type, text = fetch(server, address)
    assert status == 200 and content_type.startswith("text/calendar")
    assert "BEGIN:VEVENT" in text  # the demo's meetings this member attends
    references = server.shell(
        "twente",
        "from workflow.models import Casus\n"
        "print(' '.join(Casus.objects.values_list('reference', flat=True)))",
    ).split()
    assert len(references) > 10
    assert [r for r in references if r in text] == []

    page.goto(server.url(TWENTE, "/account/agenda/"))
    expect(page.locator("#abonnementsadres")).to_have_count(0)  # shown once only
    page.get_by_role("button", name="Abonnement intrekken").click()
    expect(page.get_by_role("status")).to_contain_text("Het agenda-abonnement is ingetrokken.")
    expect(page.get_by_text("U heeft geen agenda-abonnement.")).to_be_visible()
    assert_accessible(page)
    assert fetch(server, address)[0] == 404


def fetch(server: Server, address: str) -> tuple[int, str, str]:
    path = address.split(f":{server.port}", 1)[1]
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}", headers={"Host": f"{TWENTE}:{server.port}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
            return answer.status, answer.headers["Content-Type"], answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], ""
