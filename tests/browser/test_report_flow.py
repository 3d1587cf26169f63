"""An anonymous reporter files a Limburg risicotaxatieformulier and keeps the code; a
medewerker screens it and asks a question; the reporter answers on the follow-up page;
the medewerker records feedback; the reporter reads it."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in

LIMBURG = "limburg.localhost"


def test_anonymous_report_screening_question_answer_and_feedback(browser, server):
    # The reporter is on a phone.
    reporter = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True
    ).new_page()
    reporter.goto(server.url(LIMBURG, "/melden/"))
    expect(reporter.get_by_role("heading", level=1)).to_have_text("Een zorg melden")
    assert_accessible(reporter)
    reporter.get_by_role("link", name="Risicotaxatieformulier").click()
    expect(reporter).to_have_url(re.compile("/melden/risicotaxatieformulier/$"))
    reporter.wait_for_load_state()
    assert reporter.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )  # no sideways scrolling
    assert_accessible(reporter)

    reporter.get_by_role("button", name="Melding versturen").click()  # empty: errors, nothing lost
    expect(reporter.get_by_role("alert")).to_contain_text("Beschrijf uw zorg.")
    assert_accessible(reporter)
    reporter.get_by_label("Ouder of verzorger").check()
    reporter.get_by_label("Wat is uw zorg?").fill(
        "Mijn dochter (15) heeft een veel oudere vriend en blijft 's nachts weg."
    )
    reporter.get_by_label("Weglopen of 's nachts wegblijven").check()
    reporter.get_by_role("group", name="Is de betrokkene minderjarig?").get_by_label("Ja").check()
    reporter.get_by_role("group", name="Betrokkene 1").get_by_label("Leeftijd").fill("15")
    reporter.get_by_role("group", name="Betrokkene 1").get_by_label(
        "Gemeente waar deze persoon woont"
    ).select_option(label="Heerlen")
    reporter.get_by_label("Ik wil anoniem melden").check()
    reporter.wait_for_timeout(3200)  # a person's pace: the bot check wants at least three seconds
    reporter.get_by_role("button", name="Melding versturen").click()

    expect(reporter.get_by_role("heading", level=1)).to_have_text("Dank u, uw melding is ontvangen")
    assert_accessible(reporter)
    code = reporter.locator("#meldcode").inner_text()
    secret = reporter.locator("#geheime-code").inner_text()
    assert re.fullmatch(r"M-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    # The page was lost? The form page leads back to the codes, in this browser only.
    reporter.goto(server.url(LIMBURG, "/melden/"))
    reporter.get_by_role("link", name="Net een melding verstuurd?").click()
    expect(reporter.locator("#geheime-code")).to_have_text(secret)
    assert_accessible(reporter)

    staff = browser.new_context(locale="nl-NL").new_page()
    log_in(staff, server, LIMBURG, "medewerker@limburg.demo")
    staff.get_by_role("link", name="Casussen", exact=True).click()
    staff.get_by_label("Zoeken").fill(code)
    staff.get_by_role("button", name="Filteren").click()
    assert_accessible(staff)
    staff.get_by_role("table").get_by_role("rowheader").get_by_role("link").first.click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Casus ")
    expect(staff.get_by_text("veel oudere vriend")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_role("button", name="Naar 'Screening'").click()
    expect(staff.get_by_role("status")).to_contain_text("Screening")
    staff.get_by_role("link", name="Vraag aan de melder").first.click()
    assert_accessible(staff)
    staff.get_by_role("textbox", name="Vraag aan de melder").fill(
        "Weet u hoe de vriend heet of waar hij woont?"
    )
    staff.get_by_role("button", name="Vastleggen").click()
    expect(staff.get_by_role("status")).to_contain_text("De vraag staat klaar")

    reporter.goto(server.url(LIMBURG, "/melding/volgen/"))
    assert_accessible(reporter)
    reporter.get_by_label("Meldcode").fill(code)
    reporter.get_by_label("Geheime code").fill(secret)
    reporter.get_by_role("button", name="Melding bekijken").click()
    expect(reporter.locator("#status")).to_have_text("Het screeningsteam bekijkt uw melding.")
    expect(reporter.get_by_text("Weet u hoe de vriend heet")).to_be_visible()
    assert_accessible(reporter)
    reporter.get_by_label("Antwoord op een vraag, of iets aanvullen").fill(
        "Hij noemt zich 'Dino', rijdt een zwarte Audi."
    )
    reporter.get_by_role("button", name="Versturen").click()
    expect(reporter.get_by_role("status")).to_contain_text(
        "Uw bericht is aan het meldpunt doorgegeven"
    )

    staff.reload()
    expect(staff.get_by_text("zwarte Audi").first).to_be_visible()
    staff.get_by_role("link", name="Uitkomst van de screening").first.click()
    staff.get_by_role("group", name="Is er sprake van loverboyproblematiek?").get_by_label(
        "loverboyproblematiek: vermoeden"
    ).check()
    staff.get_by_role("button", name="Vastleggen").click()
    expect(staff.get_by_role("status")).to_contain_text("De screeningsuitkomst is vastgelegd")
    staff.get_by_role("link", name="Terugkoppeling aan de melder").first.click()
    staff.get_by_role("textbox", name="Terugkoppeling aan de melder").fill(
        "Dank u. Wij bespreken uw melding in een casusoverleg met het Veiligheidshuis."
    )
    staff.get_by_role("button", name="Terugkoppeling vastleggen").click()
    expect(staff.get_by_role("status")).to_contain_text("De terugkoppeling is vastgelegd")
    assert_accessible(staff)

    reporter.reload()
    expect(reporter.get_by_text("casusoverleg met het Veiligheidshuis")).to_be_visible()
    assert_accessible(reporter)
    reporter.context.close()
    staff.context.close()
