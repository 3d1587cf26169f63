"""The yearly report (jaarverslag) for the municipalities that fund the meldpunt: the
region's statistics of one year with charts, the map and the tables, as a PDF made by
a Celery task. Everything in it leaves the platform, so every table is suppressed and
the charts and the map draw the suppressed figures."""

import base64
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.gemeenten import name_of
from configuratie.models import RegionMunicipality
from meldpunt import jobs
from meldpunt.pdf import render_pdf
from statistiek import charts
from statistiek.benchmark import current_region
from statistiek.figures import (
    Selection,
    cases_opened,
    cases_per_municipality,
    persons_reported,
    region_tables,
    reports_received,
)
from statistiek.models import AnnualReport
from statistiek.prevention_figures import prevention_tables
from statistiek.tables import Column, Row, Table, published
from workflow.models import PersonRole

TEMPLATE = "statistiek/jaarverslag_pdf.html"


def year_selection(year: int, municipality: str = "") -> Selection:
    return Selection(
        start=date(year, 1, 1), end=date(year, 12, 31), grain="maand", municipality=municipality
    )


@transaction.atomic
def request_annual_report(*, actor: User, year: int) -> AnnualReport:
    """A new yearly report, queued once this transaction commits."""
    require(actor, Action.EXPORT_STATISTICS)
    report = AnnualReport.objects.create(year=year, requested_by=actor)
    record(AuditAction.CREATE, user=actor, target=report, grounds="statistiek")
    transaction.on_commit(lambda: jobs.queue(report))
    return report


def funding_municipalities_table(year: int) -> Table:
    """Per funding municipality: reports, cases and victims with a person living there."""
    rows = []
    for code in RegionMunicipality.objects.filter(funds_meldpunt=True).values_list(
        "code", flat=True
    ):
        selection = year_selection(year, code)
        rows.append(
            Row(
                label=name_of(code),
                key=code,
                values={
                    "meldingen": reports_received(selection).count(),
                    "casussen": cases_opened(selection).count(),
                    "slachtoffers": persons_reported(selection)
                    .filter(role=PersonRole.VICTIM)
                    .count(),
                },
            )
        )
    rows.sort(key=lambda row: row.label)
    return Table(
        "financierende_gemeenten",
        _("Per financierende gemeente"),
        _(
            "Meldingen, casussen en (mogelijke) slachtoffers met een betrokkene die in de gemeente woont; een melding over mensen in twee gemeenten telt in beide."
        ),
        _("Gemeente"),
        [
            Column("meldingen", _("Meldingen")),
            Column("casussen", _("Casussen")),
            Column("slachtoffers", _("Slachtoffers")),
        ],
        rows,
        chart_columns=["casussen"],
    )


def figures_with_charts(tables: list[Table]) -> list[dict]:
    shown = [published(table) for table in tables]
    return [
        {
            "table": table,
            "chart": mark_safe(charts.bar_chart_svg(table)) if table.chart else "",  # noqa: S308  (our own SVG, texts escaped)
        }
        for table in shown
    ]


def generate(report_id: int) -> None:
    """Make the PDF as a job (meldpunt.jobs): claimed by one worker, with a heartbeat and
    its progress as it goes."""
    jobs.run(AnnualReport, report_id, make_pdf)


def make_pdf(report: AnnualReport) -> dict[str, Any]:
    jobs.report_progress(report, 5)
    selection = year_selection(report.year)
    region = figures_with_charts(region_tables(selection))
    jobs.report_progress(report, 35)
    funding = funding_municipalities_table(report.year)
    prevention = figures_with_charts(prevention_tables(selection))
    jobs.report_progress(report, 55)
    map_table = published(cases_per_municipality(selection))
    _column, _classes, legend = charts.map_classes(map_table)
    region_name = current_region().name
    context = {
        "region_name": region_name,
        "site_name": _("Meldpunt Loverboyproblematiek %(region)s") % {"region": region_name},
        "year": report.year,
        "funders": [row.label for row in funding.rows],
        "region_figures": region,
        "funding": figures_with_charts([funding])[0],
        "prevention_figures": prevention,
        "map_svg": mark_safe(charts.map_svg(map_table)),  # noqa: S308  (our own SVG, texts escaped)
        "map_table": map_table,
        "legend": legend,
        "made_on": timezone.localdate(),
    }
    jobs.report_progress(report, 70)
    pdf = render_pdf(TEMPLATE, context)
    return {"pdf": base64.b64encode(pdf).decode("ascii")}


@transaction.atomic
def retry_annual_report(report: AnnualReport, *, actor: User) -> AnnualReport:
    """A failed report made again from the start, queued once this transaction commits."""
    require(actor, Action.EXPORT_STATISTICS)
    if not jobs.retry(report):
        raise ValidationError(_("Alleen een mislukt jaarverslag kan opnieuw worden gemaakt."))
    record(
        AuditAction.CHANGE,
        user=actor,
        target=report,
        grounds="statistiek",
        detail={"opnieuw": True},
    )
    transaction.on_commit(lambda: jobs.queue(report))
    return report


def download(report: AnnualReport, *, actor: User) -> bytes:
    """The PDF of a finished report; each download is an audit line."""
    require(actor, Action.EXPORT_STATISTICS)
    record(
        AuditAction.EXPORT,
        user=actor,
        target=report,
        grounds="statistiek",
        detail={"jaarverslag": report.year, "formaat": "pdf"},
    )
    return base64.b64decode(report.pdf)
