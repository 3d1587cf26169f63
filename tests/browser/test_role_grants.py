"""Four eyes on the roles that read cases: a regional administrator cannot change its
own roles, asks a role for a colleague, and a second administrator confirms it; in a
region with one administrator, the national administrator confirms. Every new screen
is checked with axe at desktop width and at 390 px, without sideways scrolling."""

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server, assert_accessible, log_in

PLATFORM = "localhost"
TWENTE = "twente.localhost"
LIMBURG = "limburg.localhost"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def demo_account(server: Server, region: str, role: str) -> str:
    """A fresh fictitious account with one role (demo accounts skip MFA in DEMO_MODE)."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@{region}.demo"
    server.shell(
        region,
        "from tenants.services.demo import ensure_demo_account\n"
        f"ensure_demo_account({email!r}, full_name={email.split('@')[0]!r}, role_codes=[{role!r}])\n"
        "print('ok')",
    )
    return email


def accessible_at_both_widths(page: Page) -> None:
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(DESKTOP)


def ask_role(page: Page, server: Server, host: str, email: str, role: str) -> None:
    page.goto(server.url(host, "/gebruikers/"))
    page.get_by_role("row", name=re.compile(re.escape(email))).get_by_role("link").click()
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Rollen opslaan").click()
    expect(
        page.get_by_role("status").filter(has_text="geldt pas als een tweede regiobeheerder")
    ).to_be_visible()


def test_a_second_administrator_confirms_a_role_the_first_asked(
    page: Page, browser: Browser, server: Server
):
    """Twente's administrator finds its own roles closed to itself, asks the role
    Medewerker meldpunt for an analyst, and a colleague administrator confirms it."""
    colleague = demo_account(server, "twente", "analist")
    second_admin = demo_account(server, "twente", "regiobeheerder")
    log_in(page, server, TWENTE, "regiobeheerder@twente.demo")

    page.goto(server.url(TWENTE, "/gebruikers/"))
    own = page.get_by_role("row", name=re.compile("regiobeheerder@twente.demo"))
    own.get_by_role("link").first.click()
    expect(page.get_by_role("status")).to_contain_text("Dit is uw eigen account.")
    expect(page.get_by_role("button", name="Rollen opslaan")).to_have_count(0)
    accessible_at_both_widths(page)

    ask_role(page, server, TWENTE, colleague, "Medewerker meldpunt")
    page.get_by_role("link", name=re.compile("Roltoekenningen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roltoekenningen")
    waiting = page.get_by_role("row", name=re.compile(re.escape(colleague)))
    expect(waiting).to_contain_text("Een andere regiobeheerder bevestigt.")
    expect(waiting.get_by_role("button", name=re.compile("^Bevestigen"))).to_have_count(0)
    accessible_at_both_widths(page)

    second = browser.new_context(locale="nl-NL", viewport=PHONE, is_mobile=True).new_page()
    log_in(second, server, TWENTE, second_admin, DEMO_PASSWORD)
    second.goto(server.url(TWENTE, "/gebruikers/roltoekenningen/"))
    row = second.get_by_role("row", name=re.compile(re.escape(colleague)))
    row.get_by_role("button", name=f"Bevestigen: Medewerker meldpunt voor {colleague}").click()
    expect(second.get_by_role("status")).to_contain_text(
        f"{colleague} heeft nu de rol Medewerker meldpunt."
    )
    decided = second.get_by_role("table", name="Bevestigde en ingetrokken rollen")
    expect(decided.get_by_role("row", name=re.compile(re.escape(colleague)))).to_contain_text(
        "bevestigd"
    )
    assert_accessible(second)
    assert second.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    second.context.close()

    # Announced through the outbox (no worker runs beside the test server): the fact
    # and a link, not who got which role.
    announcement = server.shell(
        "twente",
        "from meldpunt.models import OutboxMessage\n"
        "print(repr([m.body for m in OutboxMessage.objects.order_by('id')"
        " if m.subject == 'Er is een rol toegekend bij Twente'"
        " and m.to == 'regiobeheerder@twente.demo'][-1]))",
    )
    assert server.url(TWENTE, "/gebruikers/roltoekenningen/") in announcement
    assert colleague not in announcement and "Medewerker" not in announcement


def test_the_national_administrator_confirms_where_a_region_has_one_administrator(
    page: Page, browser: Browser, server: Server
):
    """Limburg has one administrator: the role it asks waits for the national administrator."""
    colleague = demo_account(server, "limburg", "analist")
    admin = browser.new_context(locale="nl-NL").new_page()
    log_in(admin, server, LIMBURG, "regiobeheerder@limburg.demo")
    ask_role(admin, server, LIMBURG, colleague, "Procesregisseur")
    admin.goto(server.url(LIMBURG, "/gebruikers/roltoekenningen/"))
    expect(admin.get_by_role("row", name=re.compile(re.escape(colleague)))).to_contain_text(
        "De landelijk beheerder bevestigt"
    )
    admin.context.close()

    log_in(page, server, PLATFORM, "landelijk@platform.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Roltoekenningen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Roltoekenningen die op bevestiging wachten"
    )
    accessible_at_both_widths(page)
    page.get_by_role("link", name="Procesregisseur in Limburg").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roltoekenning in Limburg")
    expect(page.get_by_role("main")).to_contain_text(colleague)
    accessible_at_both_widths(page)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("status")).to_contain_text("De rol is toegekend in regio Limburg.")
    roles = server.shell(
        "limburg",
        "from accounts.models import User\n"
        f"print(sorted(User.objects.get(email={colleague!r}).role_codes()))",
    )
    assert roles == "['analist', 'procesregisseur']"
