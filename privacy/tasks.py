"""Privacy tasks; the tenant-aware beat runs each in every region's schema."""

from celery import shared_task

from meldpunt.models import OutboxMessage
from privacy.services import destruction, retention, review


@shared_task
def purge_sent_email() -> int:
    made = destruction.purge_sent_email()
    return made.destroyed[OutboxMessage._meta.label] if made else 0


@shared_task
def apply_retention() -> dict[str, int]:
    run = retention.apply_retention()
    return {
        "casussen": len(run.cases),
        "contactgegevens": len(run.reporter_contacts),
        "bewaarplicht": len(run.held),
    }


@shared_task
def review_access() -> int:
    made = review.weekly_review()
    return made.findings.count() if made else 0
