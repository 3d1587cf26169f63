"""Tasks of the case domain; they run in the schema of the region that queued them."""

from celery import shared_task

from workflow.services.outbox import deliver_pending


@shared_task
def deliver_outbox() -> int:
    return deliver_pending()
