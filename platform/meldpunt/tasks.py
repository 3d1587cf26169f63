"""Tasks of the project shell; each runs in the schema named in its headers (a region's,
or the public one for the platform's own mail)."""

from celery import shared_task

from meldpunt.outbox import deliver_pending


@shared_task
def deliver_outbox() -> int:
    return deliver_pending()
