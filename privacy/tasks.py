"""Privacy tasks; the tenant-aware beat runs each in every region's schema."""

from celery import shared_task

from meldpunt.models import OutboxMessage
from privacy.models import PrivacyRun
from privacy.services import destruction, runs


@shared_task
def purge_sent_email() -> int:
    made = destruction.purge_sent_email()
    return made.destroyed[OutboxMessage._meta.label] if made else 0


@shared_task
def apply_retention() -> dict[str, int]:
    return runs.start(PrivacyRun.Kind.RETENTION).outcome


@shared_task
def review_access() -> int:
    return runs.start(PrivacyRun.Kind.REVIEW).outcome.get("bevindingen", 0)


@shared_task
def run_privacy_job(run_id: int) -> bool:
    """A run resumed after its worker died, or started again after it failed."""
    return runs.perform(run_id)
