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
