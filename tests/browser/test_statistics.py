"""The analist opens the statistics and the map and downloads every table as XLSX; a
national admin opens the benchmark; a regiobeheerder compares the region with the
national median; a medewerker records a prevention activity and an advice. Every
chart has its table, no script is refused by the Content-Security-Policy, and each
page passes axe at desktop width and at 390 px."""

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

TWENTE = "twente.localhost"
LIMBURG = "limburg.localhost"


def refused_scripts(page: Page) -> list[str]:
    """What the Content-Security-Policy refused, or a script threw, while the test ran."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_the_analist_reads_statistics_and_the_map_and_downloads_the_xlsx(page: Page, server):
    problems = refused_scripts(page)
    log_in(page, server, TWENTE, "analist@twente.demo")
    page.get_by_role("link", name="Statistiek", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiek van de regio")
    charts = page.locator("canvas[data-chart]")
    assert charts.count() >= 10
    for index in range(charts.count()):
        section = charts.nth(index).locator("xpath=ancestor::section[1]")
        expect(section.locator("table")).to_have_count(1)  # every chart has its table
    expect(charts.first).to_have_attribute("width", re.compile(r"\d+"))  # Chart.js drew it
    per_period = page.locator('table[data-table="per_periode"] tbody tr')
    assert per_period.count() >= 12
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Alle tabellen als XLSX downloaden").click()
    with open(download.value.path(), "rb") as saved:  # saved without a file extension
        workbook = load_workbook(io.BytesIO(saved.read()))
    assert len(workbook.sheetnames) >= 14

    page.get_by_role("navigation", name="Statistiek").get_by_role("link", name="Kaart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De regio in kaart")
    expect(page.locator("#kaart path")).to_have_count(
        14
    )  # Twente's municipalities, drawn by d3-geo
    expect(page.locator('table[data-table="kaart"] tbody tr')).to_have_count(14)
    assert_accessible(page)
    assert problems == []


def test_a_national_admin_opens_the_benchmark(page: Page, server):
    log_in(page, server, "localhost", "landelijk@platform.demo")
    page.get_by_role("link", name="Benchmark").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Landelijke benchmark")
    regions = page.get_by_role("table", name="2 regio's doen mee")
    expect(regions.get_by_role("rowheader")).to_have_text(["Limburg", "Twente"])
    assert_accessible(page)


def test_a_regiobeheerder_compares_the_region_with_the_national_median(page: Page, server):
    log_in(page, server, LIMBURG, "regiobeheerder@limburg.demo")
    page.get_by_role("link", name="Statistiek", exact=True).click()
    page.get_by_role("link", name="Landelijke benchmark").click()
    table = page.locator('table[data-table="benchmark"]')
    expect(table.get_by_role("columnheader", name="Landelijke mediaan")).to_be_visible()
    expect(table.get_by_role("row", name="Meldingen")).to_be_visible()
    assert_accessible(page)


def give_reports_for_2020_q1(server, slug: str, name: str, reports: int) -> None:
    """A region (made here if it is not one yet, without a schema of its own: the benchmark
    only needs its row) gives its reports of 2020 K1 to the benchmark."""
    server.shell(
        "public",
        "from benchmark.services import store_quarter\n"
        "from tenants.models import Region\n"
        f"region, _ = Region.objects.get_or_create(slug={slug!r}, defaults="
        f"dict(schema_name={slug!r}, name={name!r}))\n"
        f"store_quarter(region, 2020, 1, {{'meldingen': {reports}}})\n"
        "print('ok')",
    )


def test_a_national_figure_shows_only_once_5_regions_gave_one(page: Page, server):
    give_reports_for_2020_q1(server, "limburg", "Limburg", 150)
    give_reports_for_2020_q1(server, "twente", "Twente", 203)
    log_in(page, server, LIMBURG, "regiobeheerder@limburg.demo")
    reports = page.locator('table[data-table="benchmark"]').get_by_role("row", name="Meldingen")

    def national_figures_after(regions: int) -> None:
        for number in range(3, regions + 1):
            give_reports_for_2020_q1(server, f"bench{number}", f"Bench {number}", 300 + number)
        page.goto(server.url(LIMBURG, "/statistiek/benchmark/?kwartaal=2020-1"))

    national_figures_after(2)
    expect(reports).to_contain_text("Geen landelijk cijfer: minder dan 5 regio's gaven er een.")
    expect(reports).not_to_contain_text("203")
    national_figures_after(4)
    expect(reports).to_contain_text("Geen landelijk cijfer")
    expect(reports).not_to_contain_text("303")
    national_figures_after(5)
    # 150, 203, 303, 304, 305: the median 303, the middle half 203 to 304, never the highest.
    expect(reports).to_have_text(re.compile(r"Meldingen\s*150\s*303\s*203 \u2013 304\s*5"))
    expect(reports).not_to_contain_text("305")
    assert_accessible(page)
    server.shell(
        "public",
        "from benchmark.models import BenchmarkFigure\n"
        "from tenants.models import Region\n"
        "BenchmarkFigure.objects.filter(year=2020).delete()\n"
        "print(Region.objects.filter(slug__startswith='bench').delete())",
    )


def test_a_medewerker_records_a_prevention_activity_and_an_advice(page: Page, server):
    log_in(page, server, LIMBURG, "medewerker@limburg.demo")
    page.get_by_role("link", name="Preventie en advies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preventieactiviteiten")
    assert_accessible(page)
    page.get_by_role("link", name="Activiteit vastleggen").click()
    page.get_by_label("Datum").fill("2026-03-12")
    page.get_by_label("Soort activiteit").select_option("voorlichting")
    page.get_by_label("scholen", exact=True).check()
    page.get_by_role("combobox", name=re.compile("^Gemeente")).select_option("GM0935")
    page.get_by_label("Organisatie of locatie").fill("Fictief Lyceum Maastricht")
    page.get_by_label("Aantal bereikte personen").fill("64")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("opgeslagen")
    page.get_by_label("Vanaf").fill("2026-03-12")
    page.get_by_label("Tot en met").fill("2026-03-12")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("cell", name="Fictief Lyceum Maastricht")).to_be_visible()

    page.get_by_role("navigation", name="Preventie en advies").get_by_role(
        "link", name="Adviesvragen"
    ).click()
    page.get_by_role("link", name="Adviesvraag vastleggen").click()
    page.get_by_label("Datum").fill("2026-03-13")
    page.get_by_label("Vrager", exact=True).select_option("onderwijs")
    page.get_by_label("Onderwerp").select_option("signalen")
    page.get_by_label("Gegeven advies").fill("Signalen besproken met de mentor.")
    page.get_by_label("Bestede tijd (minuten)").fill("30")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("opgeslagen")
    assert_accessible(page)
