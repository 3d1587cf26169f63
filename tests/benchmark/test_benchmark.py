"""The benchmark: a tenant-aware task writes, into the public schema, only figures of
regions that opted in, none from fewer than 5 and nothing that identifies a person or
a case; a region compares itself with the national median; opting out stops it, and
past figures can be deleted. National admins see the regions side by side."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django_tenants.utils import schema_context, tenant_context

from benchmark.metrics import KIND, MetricKind
from benchmark.models import BenchmarkFigure
from benchmark.services import store_quarter
from benchmark.services import summaries as national_summaries
from configuratie.models import RegionSettings
from statistiek import benchmark, tasks
from statistiek.benchmark import finished_quarters, quarter_bounds
from tenants.models import Region
from workflow.models import Casus, InvolvedPerson, Report


def opt_in(region, value: bool = True) -> None:
    with tenant_context(region):
        RegionSettings.objects.update_or_create(pk=1, defaults={"benchmark_opt_in": value})


def public_figures(region) -> list[BenchmarkFigure]:
    with schema_context("public"):
        return list(BenchmarkFigure.objects.filter(region=region))


def test_the_task_writes_no_value_from_fewer_than_5_and_nothing_identifying(twente, history):
    opt_in(twente)
    with tenant_context(twente):
        assert tasks.produce_benchmark() == 8
        reports_per_quarter = {}
        for year, quarter in finished_quarters():
            since, until = quarter_bounds(year, quarter)
            reports_per_quarter[(year, quarter)] = Report.objects.filter(
                submitted_at__gte=since, submitted_at__lt=until
            ).count()
        identifiers = set(Casus.objects.values_list("reference", flat=True))
        identifiers |= set(Report.objects.values_list("follow_code", flat=True))
        identifiers |= {p.name for p in InvolvedPerson.objects.all()}
    figures = public_figures(twente)
    assert figures
    for figure in figures:
        if KIND[figure.metric] == MetricKind.COUNT and figure.value is not None:
            assert figure.value >= 5
        if figure.metric == "meldingen":
            expected = reports_per_quarter[(figure.year, figure.quarter)]
            assert figure.value == (expected if expected >= 5 else None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM public.benchmark_benchmarkfigure")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert not [identifier for identifier in identifiers if identifier and identifier in stored]


def test_a_region_that_did_not_opt_in_gives_nothing_and_can_delete_what_it_gave(
    twente, history, logged_in
):
    opt_in(twente, False)
    with tenant_context(twente):
        assert benchmark.produce() == 0
    assert public_figures(twente) == []
    opt_in(twente)
    with tenant_context(twente):
        benchmark.produce()
    assert public_figures(twente)
    opt_in(twente, False)
    admin = logged_in(twente, "regiobeheerder")
    response = admin.post(reverse("statistiek:benchmark_delete"))
    assert response.status_code == 302
    assert public_figures(twente) == []


def test_a_regiobeheerder_compares_the_region_with_the_national_median(
    twente, limburg, history, logged_in, make_user
):
    opt_in(twente)
    opt_in(limburg)
    with tenant_context(twente):
        benchmark.produce()
    admin = logged_in(twente, "regiobeheerder")
    body = admin.get(reverse("statistiek:benchmark")).content.decode()
    assert "Landelijke mediaan" in body and 'data-table="benchmark"' in body
    assert logged_in(twente, "medewerker").get(reverse("statistiek:benchmark")).status_code == 403


def test_national_admins_see_participating_regions_side_by_side(twente, history, national_client):
    opt_in(twente)
    with tenant_context(twente):
        benchmark.produce()
    connection.set_schema_to_public()
    response = national_client.get("/benchmark/")
    assert response.status_code == 200
    assert "Twente" in response.content.decode()


OTHER_REGIONS_REPORTS = [203.0, 307.0, 409.0, 511.0]  # distinct, so any leak is visible
TWENTE_REPORTS = 150.0


def regions_in_benchmark(twente, count: int) -> list[float]:
    """Twente and count - 1 other regions give reports for 2020 K1; returns every value."""
    with schema_context("public"):
        store_quarter(twente, 2020, 1, {"meldingen": TWENTE_REPORTS})
        for number, value in enumerate(OTHER_REGIONS_REPORTS[: count - 1]):
            other = Region.objects.create(
                schema_name=f"bench_other_{number}", slug=f"bench-other-{number}", name=f"B{number}"
            )
            store_quarter(other, 2020, 1, {"meldingen": value})
    return [TWENTE_REPORTS, *OTHER_REGIONS_REPORTS[: count - 1]]


@pytest.mark.parametrize("count", [2, 4, 5])
def test_no_national_figure_reveals_another_region_below_5_regions(twente, logged_in, count):
    values = regions_in_benchmark(twente, count)
    page = logged_in(twente, "regiobeheerder").get(
        reverse("statistiek:benchmark"), {"kwartaal": "2020-1"}
    )
    row = re.search(r'<th scope="row"[^>]*>Meldingen</th>(.*?)</tr>', page.content.decode(), re.S)
    numbers = re.findall(r'class="utrecht-table__cell meldpunt-number">([^<]*)<', row.group(1))
    shown = [float(number) for text in numbers for number in re.findall(r"\d+", text)]
    if count < 5:
        # The region's own figure only: no other region's value, no median, range or count.
        assert shown == [TWENTE_REPORTS]
        assert "minder dan 5 regio" in row.group(1)
    else:
        _lowest, lower_quartile, median, upper_quartile, highest = sorted(values)
        assert shown == [TWENTE_REPORTS, median, lower_quartile, upper_quartile, 5.0]
        assert highest not in shown  # the extremes are one region's figure each


def test_the_national_summary_withholds_every_figure_below_5_regions(twente):
    regions_in_benchmark(twente, 4)
    with schema_context("public"):
        [reports] = [s for s in national_summaries(2020, 1) if s.metric == "meldingen"]
    assert (reports.median, reports.lower_quartile, reports.upper_quartile, reports.regions) == (
        None,
        None,
        None,
        None,
    )
