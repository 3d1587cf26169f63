"""Screens without a browser test elsewhere: a region's user administration, the
refusal of that administration to other staff, password reset, suspension of a
region, and signing in with a real second factor."""

import re
import time
import uuid
from datetime import datetime

import pyotp
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in

PLATFORM = "localhost"
TWENTE = "twente.localhost"
LIMBURG = "limburg.localhost"
NEW_PASSWORD = "Hengelo-en-Enschede-2026"


def unique_suffix() -> str:
    """The server's database lives for the whole session: every invitation gets a new address."""
    return uuid.uuid4().hex[:8]


def mail_to(server: Server, address: str, region: str = "twente") -> str:
    server.deliver_mail(region)
    return next(mail for mail in reversed(server.mails()) if f"To: {address}" in mail)


def link_in(mail: str, server: Server, host: str, path: str) -> str:
    pattern = re.escape(server.url(host, path)) + r"\S+"
    return re.search(pattern, mail).group(0)


def invite(page: Page, server: Server, email: str, name: str, role: str) -> None:
    """A regional admin, already signed in, invites a colleague with one role."""
    page.goto(server.url(TWENTE, "/gebruikers/nieuw/"))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Naam").fill(name)
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status")).to_contain_text(f"Uitnodiging verstuurd naar {email}")


def test_regional_admin_invites_edits_and_deactivates_a_user(page: Page, server: Server):
    """The admin of Twente invites a colleague, corrects the form, changes roles, then
    switches the account off."""
    suffix = unique_suffix()
    email = f"collega-{suffix}@twente.example"
    name = f"Collega {suffix}"
    log_in(page, server, TWENTE, "regiobeheerder@twente.demo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gebruikers").click()
    expect(page).to_have_url(server.url(TWENTE, "/gebruikers/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikers")
    expect(page.get_by_role("table", name="Accounts van meldpunt Twente")).to_contain_text(
        "regiobeheerder@twente.demo"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Gebruiker uitnodigen").click()
    expect(page).to_have_url(server.url(TWENTE, "/gebruikers/nieuw/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruiker uitnodigen")
    assert_accessible(page)

    # Only the name typed: the summary names what is missing, and keeps the name.
    page.get_by_label("Naam").fill(name)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Controleer de volgende punten")
    expect(
        summary.get_by_role("link", name="E-mailadres: Vul het e-mailadres in.")
    ).to_have_attribute("href", "#id_email")
    expect(summary.get_by_role("link", name="Rollen: Kies minstens één rol.")).to_have_attribute(
        "href", "#id_roles"
    )
    expect(page.locator("#id_email")).to_be_visible()
    expect(page.locator("#id_roles").get_by_role("checkbox")).to_have_count(8)
    expect(page.get_by_label("E-mailadres")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Naam")).to_have_value(name)
    assert_accessible(page)

    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Analist", exact=True).check()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page).to_have_url(server.url(TWENTE, "/gebruikers/"))
    expect(page.get_by_role("status")).to_contain_text(f"Uitnodiging verstuurd naar {email}")
    row = page.get_by_role("row", name=re.compile(re.escape(email)))
    expect(row).to_contain_text("Analist")
    expect(row).to_contain_text("uitgenodigd")
    assert_accessible(page)

    invitation = mail_to(server, email)
    assert "Uitnodiging voor Twente" in invitation
    assert link_in(invitation, server, TWENTE, "/accounts/password/reset/key/")

    row.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_label("Analist", exact=True)).to_be_checked()
    assert_accessible(page)

    # No role at all is refused; then Analist becomes Procesregisseur, which reads
    # cases and so waits for a second administrator.
    page.get_by_label("Analist", exact=True).uncheck()
    page.get_by_role("button", name="Rollen opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Kies minstens één rol.")
    assert_accessible(page)
    page.get_by_label("Procesregisseur", exact=True).check()
    page.get_by_role("button", name="Rollen opslaan").click()
    saved = page.get_by_role("status").filter(has_text=f"Rollen van {email} opgeslagen.")
    expect(saved).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="tweede regiobeheerder")).to_be_visible()
    expect(row).to_contain_text("Procesregisseur (wacht op bevestiging)")
    expect(row).not_to_contain_text("Analist")

    row.get_by_role("link", name=name).click()
    page.get_by_role("button", name="Account uitschakelen").click()
    expect(page).to_have_url(server.url(TWENTE, "/gebruikers/"))
    expect(page.get_by_role("status")).to_contain_text(f"Account van {email} is uitgeschakeld.")
    expect(row).to_contain_text("uitgeschakeld")
    assert_accessible(page)


def test_staff_without_the_admin_role_get_no_user_administration(page: Page, server: Server):
    """A Twente staff member sees no "Gebruikers" in the menu, and is refused at its address."""
    log_in(page, server, TWENTE, "medewerker@twente.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht meldpunt Twente")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Overzicht")).to_be_visible()
    expect(menu.get_by_role("link", name="Gebruikers")).to_have_count(0)
    assert_accessible(page)

    for path in ("/gebruikers/", "/gebruikers/nieuw/"):
        response = page.goto(server.url(TWENTE, path))
        assert response.status == 403, path
        expect(page.get_by_role("table")).to_have_count(0)
        assert_accessible(page)


def test_forgotten_password_sends_a_link_to_the_region(page: Page, server: Server):
    """A Limburg analyst asks for a new password and gets a link on Limburg's own address."""
    page.goto(server.url(LIMBURG, "/accounts/password/reset/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw wachtwoord")
    assert_accessible(page)

    page.get_by_label("E-mailadres").fill("analist@limburg.demo")
    page.get_by_role("button", name="Herstel mijn wachtwoord").click()
    expect(page).to_have_url(server.url(LIMBURG, "/accounts/password/reset/done/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    assert_accessible(page)

    mail = mail_to(server, "analist@limburg.demo", "limburg")
    link = link_in(mail, server, LIMBURG, "/accounts/password/reset/key/")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord kiezen")
    expect(page.get_by_label("Nieuw wachtwoord", exact=True)).to_be_visible()
    assert_accessible(page)


def reactivate_limburg_if_suspended(page: Page, server: Server) -> None:
    page.goto(server.url(PLATFORM, "/"))
    reactivate = page.get_by_role("link", name="Limburg heractiveren")
    if reactivate.count():
        reactivate.click()
        page.get_by_label("Reden").fill("Opruimen na een mislukte test.")
        page.get_by_role("button", name="Limburg heractiveren").click()
        expect(page.get_by_role("status")).to_contain_text("Regio Limburg is weer actief.")


SUSPENSION_REASON = "Verdachte inlogpogingen; onderzoek door de functionaris gegevensbescherming."


def last_suspension_line(server: Server) -> str:
    """The platform's audit line of the last change to Limburg, and what it points to."""
    return server.shell(
        "public",
        """
from audit.models import AuditEntry
from tenants.models import Region, Suspension
limburg = Region.objects.get(slug="limburg")
line = AuditEntry.objects.filter(object_type="tenants.Region", object_id=str(limburg.pk), action="change").latest("pk")
suspension = Suspension.objects.get(pk=line.detail["opschorting"])
print(line.role, line.detail["opgeschort"], line.detail["reden"], "|", suspension.reason)
""",
    )


def limburg_admin_mail(server: Server, subject: str) -> str:
    """The mail waiting in Limburg's own outbox for its regiobeheerder (read as Limburg's
    database role: the platform's has no rights in a region's schema)."""
    return server.shell(
        "public",
        f"""
from django_tenants.utils import tenant_context
from tenants.models import Region
from meldpunt.models import OutboxMessage
with tenant_context(Region.objects.get(slug="limburg")):
    mail = next(
        (m for m in OutboxMessage.objects.order_by("-pk")
         if m.to == "regiobeheerder@limburg.demo" and m.subject == {subject!r}),
        None,
    )
print(repr(mail.body) if mail else "geen e-mail")
""",
    )


def test_national_admin_suspends_and_reactivates_limburg(
    page: Page, browser: Browser, server: Server
):
    """The national admin suspends Limburg after confirming with a reason: its visitors
    see a notice, the platform's audit line points to the reason, and Limburg's
    regiobeheerder gets a mail without it; reactivation likewise."""
    visitor = browser.new_context(locale="nl-NL").new_page()
    log_in(page, server, PLATFORM, "landelijk@platform.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regio's")
    limburg = page.get_by_role("row", name=re.compile("Limburg"))
    try:
        limburg.get_by_role("link", name="Limburg opschorten").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Limburg opschorten")
        expect(page.get_by_role("main")).to_contain_text("De regiobeheerders van Limburg")
        assert_accessible(page)
        page.get_by_role("button", name="Limburg opschorten").click()  # no reason yet
        expect(page.get_by_role("alert")).to_contain_text("Vul de reden in.")
        expect(page.get_by_label("Reden")).to_have_value("")
        assert_accessible(page)
        page.get_by_label("Reden").fill(SUSPENSION_REASON)
        page.get_by_role("button", name="Limburg opschorten").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Regio Limburg is opgeschort. De regiobeheerders krijgen een e-mail."
        )
        expect(limburg).to_contain_text("opgeschort")
        assert_accessible(page)

        assert last_suspension_line(server) == (
            f"landelijk beheerder True (tekst; staat in het dossier) | {SUSPENSION_REASON}"
        )
        mail = limburg_admin_mail(server, "Meldpunt Limburg is opgeschort")
        assert "heeft Meldpunt Limburg op" in mail and "opgeschort" in mail
        assert "inlogpogingen" not in mail

        for path in ("/", "/accounts/login/"):
            response = visitor.goto(server.url(LIMBURG, path))
            assert response.status == 403, path
            expect(visitor.get_by_role("heading", level=1)).to_contain_text(
                "tijdelijk niet bereikbaar"
            )
            expect(visitor.get_by_label("E-mailadres")).to_have_count(0)
            assert_accessible(visitor)

        limburg.get_by_role("link", name="Limburg heractiveren").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Limburg heractiveren")
        assert_accessible(page)
        page.get_by_role("button", name="Limburg heractiveren").click()
        expect(page.get_by_role("alert")).to_contain_text("Vul de reden in.")
        page.get_by_label("Reden").fill("Onderzoek afgerond, geen datalek.")
        page.get_by_role("button", name="Limburg heractiveren").click()
        expect(page.get_by_role("status")).to_contain_text("Regio Limburg is weer actief.")
        expect(limburg).not_to_contain_text("opgeschort")
        assert_accessible(page)
        assert last_suspension_line(server) == (
            "landelijk beheerder False (tekst; staat in het dossier) | "
            "Onderzoek afgerond, geen datalek."
        )
        assert "weer geactiveerd" in limburg_admin_mail(server, "Meldpunt Limburg is weer actief")

        response = visitor.goto(server.url(LIMBURG, "/accounts/login/"))
        assert response.status == 200
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Inloggen")
        assert_accessible(visitor)
    finally:
        reactivate_limburg_if_suspended(page, server)
        visitor.context.close()


def next_code(totp: pyotp.TOTP, used_window: int) -> str:
    """A code is single-use: wait for the next 30-second window if this one's is spent."""
    while totp.timecode(datetime.now()) == used_window:
        time.sleep(0.5)
    return totp.now()


def test_invited_user_signs_in_with_an_authenticator_code(
    page: Page, browser: Browser, server: Server
):
    """A new Twente colleague sets a password and an authenticator app, signs out, and
    signs in again with password and code."""
    email = f"tweestap-{unique_suffix()}@twente.example"
    log_in(page, server, TWENTE, "regiobeheerder@twente.demo")
    invite(page, server, email, "Nieuwe Collega", "Analist")
    link = link_in(mail_to(server, email), server, TWENTE, "/accounts/password/reset/key/")

    newcomer = browser.new_context(locale="nl-NL").new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Wachtwoord kiezen")
    assert_accessible(newcomer)
    newcomer.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    newcomer.get_by_label("Nieuw wachtwoord (bevestigen)").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(newcomer).to_have_url(re.compile(r"/accounts/password/reset/key/done/$"))
    expect(newcomer.get_by_role("main")).to_contain_text("Uw nieuwe wachtwoord is opgeslagen.")
    assert_accessible(newcomer)
    newcomer.get_by_role("main").get_by_role("link", name="Inloggen").click()
    expect(newcomer).to_have_url(re.compile(r"/accounts/login/$"))

    log_in(newcomer, server, TWENTE, email, NEW_PASSWORD)
    expect(newcomer).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert_accessible(newcomer)
    secret = newcomer.get_by_label("Authenticator geheim").input_value()
    totp = pyotp.TOTP(secret)
    used_window = totp.timecode(datetime.now())
    newcomer.get_by_label("Authenticator code").fill(totp.now())
    newcomer.get_by_role("button", name="Activeer").click()
    expect(newcomer).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert_accessible(newcomer)

    newcomer.get_by_role("button", name="Uitloggen").click()
    expect(newcomer).to_have_url(re.compile(r"/accounts/login/"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Inloggen")

    log_in(newcomer, server, TWENTE, email, NEW_PASSWORD)
    expect(newcomer).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert_accessible(newcomer)
    newcomer.get_by_label("Code").fill(next_code(totp, used_window))
    newcomer.get_by_role("button", name="Aanmelden").click()
    expect(newcomer).to_have_url(server.url(TWENTE, "/"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Overzicht meldpunt Twente")
    assert_accessible(newcomer)
    newcomer.context.close()
