"""Tasks of the case domain; they run in the schema of the region that queued them
(the tenant-aware beat sends the periodic ones to every region)."""

from celery import shared_task

from workflow import waiting
from workflow.services import documents, matching, notifications


@shared_task
def send_work_digests() -> int:
    return notifications.send_daily_digests()


@shared_task
def remind_partners() -> int:
    return notifications.remind_partners()


@shared_task
def scan_quarantined_documents() -> int:
    return documents.scan_waiting()


@shared_task
def notice_match_signals() -> int:
    """The region's signals of persons known to another meldpunt, brought up to date."""
    return len(matching.notice_signals())


@shared_task
def recompute_what_cases_wait_on() -> int:
    """Every case's kept values derived again; how many differed (and were mended)."""
    return waiting.recompute_waiting()
