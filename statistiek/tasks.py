"""Tasks of the statistics; each runs in the schema of the region that queued it (the
beat sends the periodic ones to every region)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from statistiek import annual_report, benchmark
from statistiek.models import AnnualReport

STALE_AFTER = timedelta(minutes=2)


@shared_task
def produce_benchmark() -> int:
    return benchmark.produce()


@shared_task
def generate_annual_report(report_id: int) -> None:
    try:
        annual_report.generate(report_id)
    except Exception:
        annual_report.fail(report_id)
        raise


@shared_task
def resume_annual_reports() -> int:
    """Queue again the reports that never reached a worker."""
    waiting = AnnualReport.objects.filter(
        status=AnnualReport.Status.QUEUED, requested_at__lt=timezone.now() - STALE_AFTER
    )
    for report in waiting:
        annual_report.queue(report)
    return len(waiting)
