"""E-mail through an outbox: the message is a row committed with the change that
caused it; delivery is a separate step that a Celery worker (or the beat's retry)
performs when the broker and the mail server are up. Nothing is lost if they are not."""

import logging

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from workflow.models import OutboxMessage

logger = logging.getLogger(__name__)
BATCH_SIZE = 50


def queue_email(to: str, subject: str, body: str) -> OutboxMessage:
    message = OutboxMessage.objects.create(to=to, subject=subject, body=body)
    transaction.on_commit(request_delivery)
    return message


def queue_templated_email(to: str, template: str, context: dict) -> OutboxMessage:
    """Queue the e-mail rendered from `<template>_subject.txt` and `<template>_message.txt`."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    return queue_email(to, subject, render_to_string(f"{template}_message.txt", context))


DELIVERY_TASK = "workflow.tasks.deliver_outbox"


def request_delivery() -> None:
    """Ask a worker to deliver now; if the broker is down, the periodic retry will.

    The task is named, not imported: the task module calls this one, not the reverse.
    The tenant-aware app puts the region's schema in the message headers."""
    try:
        current_app.send_task(DELIVERY_TASK, retry=False)
    except Exception:  # the broker being unreachable must never fail the request
        logger.warning("Broker unreachable; outbox delivery waits for the periodic retry")


def deliver_pending() -> int:
    """Send what is waiting; returns how many were sent. Safe to run in parallel."""
    sent = 0
    with transaction.atomic():
        pending = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            sent_at__isnull=True
        )[:BATCH_SIZE]
        for message in pending:
            try:
                send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to])
            except Exception as error:  # any mail failure: keep the message and try again later
                message.attempts += 1
                message.last_error = type(error).__name__[:300]
                message.save(update_fields=["attempts", "last_error"])
                continue
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            sent += 1
    return sent
