"""A region's share in the national benchmark: per finished quarter, a few figures made
here, in the region's own schema, with suppression applied before they leave it. Only
the figures go to the public schema: no case, person, code or text."""

from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from benchmark import services as national
from benchmark.metrics import MINIMUM, Metric
from configuratie.models import RegionSettings
from meldpunt.aggregates import Median
from statistiek.figures import days_between, rows_of
from statistiek.models import AdviceRequest, PreventionActivity
from tenants.models import Region
from workflow.models import Casus, InformationRequest, Report

QUARTERS_BACK = 8  # two years: a region that joins brings its recent history along


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    next_year, next_quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return (
        timezone.make_aware(datetime.combine(quarter_start(year, quarter), time.min)),
        timezone.make_aware(datetime.combine(quarter_start(next_year, next_quarter), time.min)),
    )


def finished_quarters(
    today: date | None = None, back: int = QUARTERS_BACK
) -> list[tuple[int, int]]:
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _ in range(back):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        found.append((year, quarter))
    return found[::-1]


def given(value: float | None, base: int) -> float | None:
    """The figure, or None when it comes from fewer than MINIMUM."""
    return value if value is not None and base >= MINIMUM else None


def quarter_figures(year: int, quarter: int) -> tuple[dict[str, float | None], int]:
    """The figures of one quarter, suppressed, and how much happened at all (0: nothing
    to report for that quarter)."""
    since, until = quarter_bounds(year, quarter)
    first_day, next_first_day = quarter_start(year, quarter), until.date()
    reports = Report.objects.filter(submitted_at__gte=since, submitted_at__lt=until).count()
    opened = Casus.objects.filter(opened_at__gte=since, opened_at__lt=until).count()
    closed = Casus.objects.filter(closed_at__gte=since, closed_at__lt=until).aggregate(
        n=Count("pk"), median=Median(days_between("opened_at", "closed_at"))
    )
    [(screened, days_to_screening)] = rows_of(
        "SELECT COUNT(*), percentile_cont(0.5) WITHIN GROUP ("
        "ORDER BY EXTRACT(EPOCH FROM f.first_at - c.opened_at) / 86400.0) "
        "FROM (SELECT casus_id, MIN(recorded_at) AS first_at FROM workflow_screeningoutcome "
        "GROUP BY casus_id) f JOIN workflow_casus c ON c.id = f.casus_id "
        "WHERE f.first_at >= %s AND f.first_at < %s",
        [since, until],
    )
    answered = InformationRequest.objects.filter(
        closed_at__gte=since, closed_at__lt=until
    ).aggregate(n=Count("pk"), median=Median(days_between("recorded_at", "closed_at")))
    prevention = PreventionActivity.objects.filter(
        held_on__gte=first_day, held_on__lt=next_first_day
    ).aggregate(n=Count("pk"), reached=Sum("people_reached"))
    advice = AdviceRequest.objects.filter(
        given_on__gte=first_day, given_on__lt=next_first_day
    ).count()
    figures = {
        Metric.REPORTS: given(reports, reports),
        Metric.CASES_OPENED: given(opened, opened),
        Metric.CASES_CLOSED: given(closed["n"], closed["n"]),
        Metric.DAYS_TO_SCREENING: given(rounded(days_to_screening), screened),
        Metric.DAYS_TO_CLOSING: given(rounded(closed["median"]), closed["n"]),
        Metric.INFORMATION_RESPONSE: given(rounded(answered["median"]), answered["n"]),
        Metric.PREVENTION_ACTIVITIES: given(prevention["n"], prevention["n"]),
        Metric.PEOPLE_REACHED: given(prevention["reached"], prevention["reached"] or 0),
        Metric.ADVICE: given(advice, advice),
    }
    activity = reports + opened + closed["n"] + prevention["n"] + advice
    return {str(metric): value for metric, value in figures.items()}, activity


def current_region() -> Region:
    """The region of the schema in use, also where only the schema was set (a task)."""
    return Region.objects.get(schema_name=connection.schema_name)


def rounded(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def produce() -> int:
    """The region's figures of the recent finished quarters, if it takes part; returns
    how many quarters were given. A region that opted out gives nothing more."""
    if not RegionSettings.current().benchmark_opt_in:
        return 0
    given_quarters = 0
    for year, quarter in finished_quarters():
        figures, activity = quarter_figures(year, quarter)
        if activity:
            national.store_quarter(current_region(), year, quarter, figures)
            given_quarters += 1
    return given_quarters


@transaction.atomic
def delete_own_figures(*, actor: User) -> int:
    """A region that stopped taking part removes what it gave before."""
    require(actor, Action.CONFIGURE_REGION)
    deleted = national.delete_region(current_region())
    record(
        AuditAction.CHANGE,
        user=actor,
        grounds="benchmark",
        detail={"benchmark": "eerdere cijfers verwijderd", "aantal": deleted},
    )
    return deleted


def comparison(year: int, quarter: int) -> list[dict]:
    """The region's own figures beside the national median and range."""
    own = national.own_figures(current_region(), year, quarter) or {}
    return [
        {"summary": summary, "own": own.get(summary.metric), "given": summary.metric in own}
        for summary in national.summaries(year, quarter)
    ]


def quarters_with_own_figures() -> list[tuple[int, int]]:
    """Quarters for which this region's figures are in the benchmark, newest first."""
    return national.quarters(region=current_region())
