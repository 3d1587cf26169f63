"""Tasks of the statistics; each runs in the schema of the region that queued it (the
beat sends the periodic ones to every region)."""

from celery import shared_task

from statistiek import annual_report, benchmark, monthly


@shared_task
def produce_benchmark() -> int:
    return benchmark.produce()


@shared_task
def refresh_monthly_figures() -> int:
    return monthly.refresh()


@shared_task
def generate_annual_report(report_id: int) -> None:
    annual_report.generate(report_id)
