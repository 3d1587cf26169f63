"""Storing, deleting and reading the national benchmark (public schema).

A region's figures arrive with suppression applied (statistiek.benchmark); this module
refuses a count under 5 all the same. Readers get per metric the national median and the
middle half (25th to 75th percentile) once at least 5 regions gave a figure, never the
extremes, and the regions side by side for the national administrators.
"""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count
from django_tenants.utils import get_public_schema_name, schema_context

from benchmark.metrics import KIND, MINIMUM, MINIMUM_REGIONS, Metric, MetricKind
from benchmark.models import BenchmarkFigure
from meldpunt.aggregates import Median, Percentile
from tenants.models import Region

REGIONS_PER_PAGE = 50


class SuppressionMissing(ValueError):
    """A count under 5 was offered to the public schema."""


def store_quarter(region: Region, year: int, quarter: int, figures: dict[str, Any]) -> None:
    """The region's figures for one quarter replace any it gave before.

    Written by the platform in the public schema (as the application role): a
    region's own database role may read the benchmark, never change it.
    """
    for metric, value in figures.items():
        if metric not in Metric.values:
            raise ValueError(f"unknown metric {metric}")
        if KIND[Metric(metric)] == MetricKind.COUNT and value is not None and value < MINIMUM:
            raise SuppressionMissing(metric)
    with schema_context(get_public_schema_name()), transaction.atomic():
        BenchmarkFigure.objects.filter(region=region, year=year, quarter=quarter).delete()
        BenchmarkFigure.objects.bulk_create(
            BenchmarkFigure(region=region, year=year, quarter=quarter, metric=metric, value=value)
            for metric, value in figures.items()
        )


def delete_region(region: Region) -> int:
    """Removed by the platform in the public schema, as store_quarter writes."""
    with schema_context(get_public_schema_name()):
        deleted, _by_model = BenchmarkFigure.objects.filter(region=region).delete()
    return deleted


def quarters(region: Region | None = None) -> list[tuple[int, int]]:
    """Every quarter with figures (of `region`, if given), newest first."""
    figures = BenchmarkFigure.objects.all()
    if region is not None:
        figures = figures.filter(region=region)
    return list(figures.values_list("year", "quarter").distinct().order_by("-year", "-quarter"))


def chosen_quarter(asked: str, available: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The quarter asked for ("2025-3") if it has figures, else the newest."""
    for year, quarter in available:
        if asked == f"{year}-{quarter}":
            return year, quarter
    return available[0] if available else None


@dataclass(frozen=True)
class MetricSummary:
    """The national figures of one metric; all None while fewer than MINIMUM_REGIONS gave one."""

    metric: Metric
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    regions: int | None  # how many regions gave a value; None: fewer than MINIMUM_REGIONS

    @property
    def kind(self) -> MetricKind:
        return KIND[self.metric]

    @property
    def shown(self) -> bool:
        return self.regions is not None


def summaries(year: int, quarter: int) -> list[MetricSummary]:
    """Per metric over the regions that gave a value: median and quartiles, or nothing at
    all (not even how many regions gave one) while they are fewer than MINIMUM_REGIONS."""
    found = {
        row["metric"]: row
        for row in BenchmarkFigure.objects.filter(year=year, quarter=quarter, value__isnull=False)
        .values("metric")
        .annotate(
            median=Median("value"),
            lower=Percentile("value", 0.25),
            upper=Percentile("value", 0.75),
            regions=Count("pk"),
        )
        if row["regions"] >= MINIMUM_REGIONS
    }
    withheld = {"median": None, "lower": None, "upper": None, "regions": None}
    return [
        MetricSummary(
            metric=metric,
            median=found.get(metric, withheld)["median"],
            lower_quartile=found.get(metric, withheld)["lower"],
            upper_quartile=found.get(metric, withheld)["upper"],
            regions=found.get(metric, withheld)["regions"],
        )
        for metric in Metric
    ]


@dataclass(frozen=True)
class RegionFigures:
    name: str
    values: list[tuple[Metric, float | None]]  # in Metric order; None: not given (under 5)


def regions_side_by_side(year: int, quarter: int, page_number: Any = 1) -> Page:
    """A page of the participating regions, each with its figures in Metric order."""
    regions = Region.objects.filter(
        pk__in=BenchmarkFigure.objects.filter(year=year, quarter=quarter).values("region")
    ).order_by("name", "pk")
    page = Paginator(regions.only("pk", "name"), REGIONS_PER_PAGE).get_page(page_number)
    shown = {region.pk: region for region in page.object_list}
    values: dict[int, dict[str, float | None]] = {pk: {} for pk in shown}
    for region_id, metric, value in BenchmarkFigure.objects.filter(
        year=year, quarter=quarter, region_id__in=shown
    ).values_list("region_id", "metric", "value"):
        values[region_id][metric] = value
    page.object_list = [
        RegionFigures(shown[pk].name, [(metric, values[pk].get(metric)) for metric in Metric])
        for pk in shown
    ]
    return page


def own_figures(region: Region, year: int, quarter: int) -> dict[str, float | None] | None:
    """The region's own figures for the quarter, or None when it gave none."""
    rows = BenchmarkFigure.objects.filter(region=region, year=year, quarter=quarter)
    found = dict(rows.values_list("metric", "value"))
    return found or None
