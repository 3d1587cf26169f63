"""What leaves the platform: suppression (every count under 5, and every count that would
give one away), no seeded name, school or text in any analist page or file (pages, CSV,
XLSX and the yearly report's PDF text), and an audit line for each export."""

import io
from urllib.parse import urlencode

import pypdf
from django.urls import reverse
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEntry
from statistiek import annual_report
from statistiek.demo import ORGANISATIONS
from statistiek.figures import REGION_TABLES, Selection, region_tables
from statistiek.models import AdviceRequest, AnnualReport, PreventionActivity
from statistiek.prevention_figures import PREVENTION_TABLES
from statistiek.tables import SUPPRESSED, Column, Kind, Row, Table, groups, published
from tests.statistiek.test_statistics_page import END, QUERY, START
from workflow.demo import CONCERNS, SCHOOLS
from workflow.models import Evaluation, InvolvedPerson, PlanAction, PlanOfApproach


def table(values: list[int], total: bool = True, **extra) -> Table:
    rows = [Row(label=f"rij {i}", values={"n": v}) for i, v in enumerate(values)]
    return Table(
        "t",
        "T",
        "",
        "Rij",
        [Column("n", "Aantal")],
        rows,
        {"n": sum(values)} if total else None,
        **extra,
    )


def shown(t: Table) -> list:
    published_table = published(t)
    return [row.values["n"] for row in published_table.rows] + (
        [published_table.total["n"]] if published_table.total else []
    )


def test_every_count_under_5_shows_as_less_than_5():
    assert shown(table([0, 4, 5, 12], total=False)) == [SUPPRESSED, SUPPRESSED, 5, 12]


def test_a_single_small_count_that_the_total_would_reveal_takes_the_next_smallest_with_it():
    assert shown(table([3, 10, 12])) == [SUPPRESSED, SUPPRESSED, 12, 25]


def test_a_total_under_5_hides_everything():
    assert shown(table([1, 2])) == [SUPPRESSED, SUPPRESSED, SUPPRESSED]


def test_parts_of_a_row_are_suppressed_together_and_spread_to_the_columns():
    columns = [Column("a", "A", part_of="n"), Column("b", "B", part_of="n"), Column("n", "N")]
    rows = [
        Row("x", {"a": 2, "b": 8, "n": 10}),
        Row("y", {"a": 9, "b": 11, "n": 20}),
        Row("z", {"a": 7, "b": 6, "n": 13}),
    ]
    t = Table("t", "T", "", "R", columns, rows, {"a": 18, "b": 25, "n": 43})
    out = published(t)
    cells = {(r.label, k): v for r in out.rows for k, v in r.values.items()}
    assert cells[("x", "a")] == SUPPRESSED and cells[("x", "b")] == SUPPRESSED
    # Column a and b would now give x away through their totals: one more in each.
    assert sum(cells[(r, "a")] == SUPPRESSED for r in "xyz") >= 2
    assert sum(cells[(r, "b")] == SUPPRESSED for r in "xyz") >= 2
    no_single_hidden_cell(out)


def test_a_median_from_fewer_than_5_is_not_shown():
    columns = [Column("n", "N"), Column("m", "Mediaan", Kind.MEDIAN, base="n")]
    t = Table(
        "t", "T", "", "R", columns, [Row("a", {"n": 4, "m": 2.0}), Row("b", {"n": 9, "m": 3.5})]
    )
    values = [row.values for row in published(t).rows]
    assert values == [{"n": SUPPRESSED, "m": SUPPRESSED}, {"n": 9, "m": 3.5}]


def no_single_hidden_cell(t: Table) -> None:
    """In a published table, no group of parts and their whole hides exactly one cell."""

    def value(cell):
        index, key = cell
        return (t.total if index == -1 else t.rows[index].values).get(key)

    for parts, whole in groups(t):
        members = [cell for cell in [*parts, whole] if value(cell) is not None]
        assert sum(value(cell) == SUPPRESSED for cell in members) != 1, (t.slug, parts, whole)


def workbook_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]


def test_the_workbooks_hold_no_count_under_5_and_no_revealing_difference(
    twente, history, logged_in
):
    analist = logged_in(twente, "analist")
    query = urlencode(QUERY | {"indeling": "maand"})
    for name in ("alle-tabellen", "preventie-en-advies"):
        response = analist.get(reverse("statistiek:export", args=[name, "xlsx"]) + "?" + query)
        assert response.status_code == 200
        cells = workbook_cells(response.content)
        assert SUPPRESSED in cells
        # Every number in a workbook is a count of 5 or more, a median or a year-less label.
        small = [c for c in cells if isinstance(c, int) and c < 5]
        assert small == []
    with tenant_context(twente):
        selection = Selection(start=START, end=END, grain="maand")
        for t in region_tables(selection):
            no_single_hidden_cell(published(t))
        for build in PREVENTION_TABLES.values():
            no_single_hidden_cell(published(build(selection)))


def secrets_of_the_region(region) -> set[str]:
    """Every name, school and text written in the seeded region."""
    with tenant_context(region):
        found = {p.name for p in InvolvedPerson.objects.all() if p.name}
        found |= {p.school for p in InvolvedPerson.objects.all() if p.school}
        found |= {a.organisation for a in PreventionActivity.objects.all()}
        found |= {a.evaluation for a in PreventionActivity.objects.all()}
        found |= {a.advice for a in AdviceRequest.objects.all()}
        found |= {p.goals for p in PlanOfApproach.objects.all()}
        found |= {a.description for a in PlanAction.objects.all()}
        found |= {text for e in Evaluation.objects.all() for text in e.answers.values()}
    return found | set(CONCERNS) | set(SCHOOLS) | set(ORGANISATIONS)


def test_no_name_school_or_text_appears_in_any_analist_page_or_file(twente, history, logged_in):
    secrets = secrets_of_the_region(twente)
    assert len(secrets) > 50
    analist = logged_in(twente, "analist")
    query = urlencode(QUERY)
    pages = [
        reverse("home:dashboard"),
        reverse("statistiek:index") + "?" + query,
        reverse("statistiek:map") + "?" + query,
        reverse("statistiek:prevention") + "?" + query,
        reverse("statistiek:benchmark"),
        reverse("statistiek:annual_reports"),
    ]
    texts = [analist.get(url).content.decode() for url in pages]
    for name in [*REGION_TABLES, *PREVENTION_TABLES, "kaart"]:
        response = analist.get(reverse("statistiek:export", args=[name, "csv"]) + "?" + query)
        assert response.status_code == 200
        texts.append(response.content.decode("utf-8-sig"))
    for name in ("alle-tabellen", "preventie-en-advies"):
        content = analist.get(
            reverse("statistiek:export", args=[name, "xlsx"]) + "?" + query
        ).content
        texts.append(" ".join(str(cell) for cell in workbook_cells(content)))
    with tenant_context(twente):
        report = annual_report.request_annual_report(actor=analist.user, year=END.year - 1)
        annual_report.generate(report.pk)
        report.refresh_from_db()
        assert report.status == AnnualReport.Status.DONE and report.progress == 100
    pdf = analist.get(reverse("statistiek:annual_report_download", args=[report.pk])).content
    pdf_text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Jaarverslag" in pdf_text and "<5" in pdf_text
    texts.append(pdf_text)
    everything = "\n".join(texts)
    leaked = sorted(secret for secret in secrets if secret and secret in everything)
    assert leaked == []
    for url in ("/casussen/", reverse("preventie:activities"), reverse("preventie:advice")):
        assert analist.get(url).status_code == 403


def test_every_export_is_an_audit_line(twente, logged_in):
    analist = logged_in(twente, "analist")
    analist.get(reverse("statistiek:export", args=["kanaal", "csv"]) + "?" + urlencode(QUERY))
    analist.get(
        reverse("statistiek:export", args=["alle-tabellen", "xlsx"]) + "?" + urlencode(QUERY)
    )
    with tenant_context(twente):
        lines = AuditEntry.objects.filter(action=AuditAction.EXPORT, user_id=analist.user.pk)
        assert sorted(line.detail["statistiek"] for line in lines) == ["alle-tabellen", "kanaal"]
        assert all(line.detail["van"] == QUERY["van"] for line in lines)


def test_a_csv_of_several_tables_or_an_unknown_format_is_not_found(twente, logged_in):
    analist = logged_in(twente, "analist")
    assert (
        analist.get(reverse("statistiek:export", args=["alle-tabellen", "csv"])).status_code == 404
    )
    assert analist.get(reverse("statistiek:export", args=["kanaal", "pdf"])).status_code == 404
    assert analist.get(reverse("statistiek:export", args=["onbekend", "csv"])).status_code == 404
