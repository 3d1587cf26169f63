"""Tasks of the project shell; the tenant-aware beat runs each in every region's schema."""

from celery import shared_task

from meldpunt import jobs


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
