"""Twente's medewerker plans a screening team meeting with a name, a place and a chair,
finds it by those in the agenda choice of a case, records who was present, and fixes
the minutes while the case was not discussed: the screen asks first and names the case,
which then waits for another meeting. The screening team member's home lists the cases
waiting for the team and describes the role as it now is."""

import io
import re
import secrets

from django.utils import timezone
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from tests.browser.conftest import Server, assert_accessible
from tests.browser.test_casework_twente import do_task, move_to, open_case, report, save, signed_in


def test_a_meeting_is_found_by_name_attended_and_closed_with_a_case_left_waiting(
    browser: Browser, server: Server
):
    code = report(browser, server, f"Iris Overlegkind {secrets.token_hex(2)}")
    title = f"Screeningsteam Hengelo {secrets.token_hex(2)}"

    medewerker = signed_in(browser, server, "medewerker")
    medewerker.get_by_role("link", name="Overleggen").click()
    medewerker.get_by_role("link", name="Overleg plannen").click()
    medewerker.get_by_label("Screeningsteam-overleg").check()
    medewerker.get_by_label("Naam van het overleg").fill(title)
    today = timezone.localdate()
    medewerker.get_by_label("Datum en tijd").fill(f"{today:%Y-%m-%d}T08:30")
    medewerker.get_by_label("Plaats").fill("Stadhuis")
    medewerker.get_by_label("Voorzitter").select_option(label="Procesregisseur Twente (demo)")
    medewerker.get_by_label(re.compile("Screeningsteamlid Twente")).check()
    assert_accessible(medewerker)
    save(medewerker, "Overleg plannen")
    meeting_url = medewerker.url

    medewerker.get_by_role("link", name="Casussen", exact=True).click()
    medewerker.get_by_label("Zoeken").fill(code)
    medewerker.get_by_role("button", name="Filteren").click()
    medewerker.get_by_role("table").get_by_role("rowheader").get_by_role("link").first.click()
    reference = medewerker.get_by_role("heading", level=1).inner_text().removeprefix("Casus ")
    move_to(medewerker, "Screening")
    do_task(medewerker, "Agenderen voor een overleg")
    choice = medewerker.get_by_label("Overleg")
    named = choice.locator("option", has_text=title)
    expect(named).to_have_text(
        re.compile(
            rf"08:30 · Screeningsteam-overleg · {title}, Stadhuis · "
            r"voorzitter Procesregisseur Twente \(demo\)"
        )
    )
    assert_accessible(medewerker)
    choice.select_option(named.get_attribute("value"))
    save(medewerker)

    medewerker.goto(meeting_url)
    expect(medewerker.locator("#aanwezig")).to_contain_text("nog niet vastgelegd")
    medewerker.get_by_role("link", name="Aanwezigheid vastleggen").click()
    medewerker.get_by_label(re.compile("Screeningsteamlid Twente")).check()
    assert_accessible(medewerker)
    save(medewerker, "Aanwezigheid vastleggen")
    expect(medewerker.locator("#aanwezig")).to_contain_text("Screeningsteamlid Twente (demo)")
    expect(medewerker.locator("#aanwezig")).not_to_contain_text("Procesregisseur Twente")
    assert_accessible(medewerker)
    with medewerker.expect_download() as minutes:
        medewerker.get_by_role("link", name="Verslag (PDF)").click()
    reader = PdfReader(io.BytesIO(minutes.value.path().read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Aanwezig: Screeningsteamlid Twente (demo)" in text
    assert "Voorzitter: Procesregisseur Twente (demo)" in text

    medewerker.get_by_role("button", name="Verslag vaststellen").click()
    warning = medewerker.locator("#vaststellen-bevestigen")
    expect(warning).to_contain_text("Deze casus is niet besproken.")
    expect(warning).to_contain_text(f"Casus {reference}")
    assert_accessible(medewerker)
    medewerker.get_by_role("button", name="Verslag toch vaststellen").click()
    expect(medewerker.get_by_role("status").first).to_contain_text("vastgesteld")
    expect(medewerker.get_by_role("heading", name=f"Casus {reference}")).to_have_count(0)

    open_case(medewerker, server, reference)
    expect(medewerker.locator("#overleg").locator("..")).to_contain_text(
        "Niet besproken in een overleg."
    )
    expect(medewerker.locator("#wacht-op-screeningsteam")).to_be_visible()

    screener = signed_in(browser, server, "screeningsteamlid")
    expect(screener.get_by_role("heading", name="Voor mij als Lid screeningsteam")).to_be_visible()
    roles = screener.locator("section:has(#uw-rollen)")
    expect(roles).to_contain_text("Screent de casussen die op het screeningsteam wachten")
    waiting = screener.locator('[data-kind="wacht_op_screeningsteam"]').get_by_role("link")
    expect(waiting).to_contain_text("Casus die op het screeningsteam wacht")
    assert_accessible(screener)
    waiting.click()
    screener.get_by_label("Zoeken").fill(reference)
    screener.get_by_role("button", name="Filteren").click()
    expect(screener.get_by_role("link", name=reference, exact=True)).to_be_visible()
