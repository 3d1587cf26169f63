"""A medewerker works through the case list of a region with more than a page of cases:
pages on, sorts by deadline the other way round, and finds a case by a first name."""

import re
from datetime import datetime

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

TWENTE = "twente.localhost"


def deadlines(page: Page) -> list[datetime]:
    cells = page.locator("tbody tr td:nth-of-type(3) time")
    return [
        datetime.fromisoformat(value) for value in cells.evaluate_all("t => t.map(e => e.dateTime)")
    ]


def test_a_medewerker_pages_sorts_and_finds_a_case_by_first_name(page: Page, server):
    log_in(page, server, TWENTE, "medewerker@twente.demo")
    page.get_by_role("link", name="Casussen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casussen")
    found = page.get_by_role("status").first.inner_text()
    total = int(re.search(r"(\d+) casussen gevonden", found).group(1))
    assert total > 50
    assert page.locator("tbody tr").count() == 50
    assert deadlines(page) == sorted(deadlines(page))  # the nearest deadline first
    assert_accessible(page)

    page.get_by_role("navigation", name="Paginering").get_by_role("link", name="Volgende").click()
    expect(page.get_by_role("navigation", name="Paginering")).to_contain_text("Pagina 2 van")
    assert page.locator("tbody tr").count() == min(50, total - 50)

    page.get_by_role("columnheader", name="Termijn").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Termijn")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert deadlines(page) == sorted(deadlines(page), reverse=True)
    assert_accessible(page)

    first_name = "Yara"  # the demo data's names come from a short list of first names
    page.get_by_label("Zoeken").fill(first_name)
    page.get_by_role("button", name="Filteren").click()
    rows = page.locator("tbody tr")
    assert 0 < rows.count() < total
    rows.first.get_by_role("rowheader").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus ")
    expect(page.get_by_text(re.compile(rf"{first_name} ")).first).to_be_visible()
    assert_accessible(page)
