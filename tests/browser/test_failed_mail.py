"""The regiobeheerder finds an invitation the receiving mail server refused among the
failed mail in Beheer, sees who it was for (masked), why it failed and how often it
was tried, never its content, and sends it again once the address works."""

import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in
from tests.serving import OwnSmtpServer, run_in_schema

TWENTE = "twente.localhost"


def deliver_through(smtp: OwnSmtpServer, server: Server) -> None:
    """What the worker does, with the SMTP server of this test as the mail server."""
    run_in_schema(
        server.env | smtp.env,
        "twente",
        "from meldpunt.outbox import deliver_pending\nprint(deliver_pending())",
    )


def test_a_refused_invitation_is_shown_without_content_and_sent_again(page: Page, server: Server):
    address = f"onbereikbaar-{uuid.uuid4().hex[:8]}@twente.example"
    masked = "o…@twente.example"
    smtp = OwnSmtpServer()
    smtp.start()
    try:
        smtp.refuse(address)
        log_in(page, server, TWENTE, "regiobeheerder@twente.demo")
        page.goto(server.url(TWENTE, "/gebruikers/nieuw/"))
        page.get_by_label("E-mailadres").fill(address)
        page.get_by_label("Analist", exact=True).check()
        page.get_by_role("button", name="Uitnodiging versturen").click()
        expect(page.get_by_role("status")).to_contain_text(f"Uitnodiging verstuurd naar {address}")
        deliver_through(smtp, server)  # the server answers 550 for the address

        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beheer").click()
        page.get_by_role("link", name="Mislukte e-mail").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mislukte e-mail")
        row = page.get_by_role("row", name=re.compile(re.escape(masked)))
        expect(row).to_contain_text("Uitnodiging voor Twente")
        expect(row).to_contain_text("SMTPRecipientsRefused 550")
        expect(page.get_by_role("main")).not_to_contain_text(address)
        expect(page.get_by_role("main")).not_to_contain_text("/accounts/password/reset/key/")
        assert_accessible(page)

        smtp.handler.refused.clear()  # the colleague's mailbox exists now
        row.get_by_role("button", name=re.compile("Opnieuw versturen")).click()
        expect(page.get_by_role("status")).to_contain_text("1 bericht wordt opnieuw verstuurd.")
        expect(page.get_by_role("row", name=re.compile(re.escape(masked)))).to_have_count(0)
        assert_accessible(page)
        deliver_through(smtp, server)
        (invitation,) = smtp.received_by(address)
        assert "/accounts/password/reset/key/" in invitation.body
    finally:
        smtp.stop()


def test_the_national_administrator_sees_the_platforms_failed_mail(page: Page, server: Server):
    """A national administrator's password link that the mail server refused is listed
    on the platform, masked, and sent again."""
    address = f"landelijk-{uuid.uuid4().hex[:8]}@platform.example"
    smtp = OwnSmtpServer()
    smtp.start()
    try:
        smtp.refuse(address)
        run_in_schema(
            server.env | smtp.env,
            "public",
            "from meldpunt.outbox import deliver_pending, queue_email\n"
            f"queue_email({address!r}, 'Nieuw wachtwoord', 'Een link')\n"
            "print(deliver_pending())",
        )
        log_in(page, server, "localhost", "landelijk@platform.demo")
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Mislukte e-mail"
        ).click()
        row = page.get_by_role("row", name=re.compile(re.escape("l…@platform.example")))
        expect(row).to_contain_text("SMTPRecipientsRefused 550")
        assert_accessible(page)
        smtp.handler.refused.clear()
        page.get_by_role("button", name="Alles opnieuw versturen").click()
        expect(page.get_by_role("status")).to_contain_text("opnieuw verstuurd")
        expect(page.get_by_text("Er is geen mislukte e-mail.")).to_be_visible()
        assert_accessible(page)
        run_in_schema(
            server.env | smtp.env,
            "public",
            "from meldpunt.outbox import deliver_pending\nprint(deliver_pending())",
        )
        assert [mail.subject for mail in smtp.received_by(address)] == ["Nieuw wachtwoord"]
    finally:
        smtp.stop()
