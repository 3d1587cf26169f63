"""Tasks of the project shell; each runs in the schema named in its headers (the
tenant-aware beat sends them to every region, and the outbox's also to the public
schema for the platform's own mail)."""

from celery import shared_task

from meldpunt import jobs
from meldpunt.outbox import deliver_pending


@shared_task
def deliver_outbox() -> int:
    return deliver_pending()


@shared_task
def recover_jobs() -> dict[str, dict[str, int]]:
    """Long jobs that never reached a worker are queued again; those whose worker died
    are resumed, or marked failed after their last attempt (meldpunt.jobs)."""
    return {
        label: {
            "wachtrij": len(found.requeued),
            "hervat": len(found.resumed),
            "mislukt": len(found.failed),
        }
        for label, found in jobs.recover_all().items()
    }
