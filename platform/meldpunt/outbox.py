"""E-mail through an outbox: every message is a row committed with the change that
caused it, and a Celery worker delivers it later, outside any row lock, retrying with
a growing pause until it arrives or is marked failed for an administrator to see.

Delivery is at least once: a worker that dies between the mail server's "250 OK" and
recording it leaves a claim that another worker takes over after OUTBOX_CLAIM_TIMEOUT.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.mime.text import MIMEText
from functools import partial

from celery import current_app
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from meldpunt.models import OutboxMessage

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status
BATCH_SIZE = 50
# One task sends at most this many batches; the beat's next run takes the rest.
MAX_BATCHES_PER_RUN = 20
SUBJECT_MAX_LENGTH = OutboxMessage._meta.get_field("subject").max_length
ERROR_MAX_LENGTH = OutboxMessage._meta.get_field("last_error").max_length
DELIVERY_TASK = "meldpunt.tasks.deliver_outbox"


@dataclass(frozen=True)
class Attachment:
    """One text file sent along with a message (a calendar invitation); `mimetype` is a
    text type and may carry parameters ("text/calendar; method=REQUEST")."""

    name: str
    mimetype: str
    content: str


def queue_email(
    to: str, subject: str, body: str, attachment: Attachment | None = None
) -> OutboxMessage:
    """Queue a message in the current schema's outbox, in the caller's transaction."""
    message = OutboxMessage.objects.create(
        to=to, subject=subject[:SUBJECT_MAX_LENGTH], body=body, **attachment_fields(attachment)
    )
    transaction.on_commit(partial(request_delivery, connection.schema_name))
    return message


def attachment_fields(attachment: Attachment | None) -> dict[str, str]:
    if attachment is None:
        return {}
    return {
        "attachment_name": attachment.name,
        "attachment_type": attachment.mimetype,
        "attachment": attachment.content,
    }


def mime_attachment(message: OutboxMessage) -> MIMEText:
    """The message's attachment as a MIME part, its type's parameters kept (a calendar
    reads an invitation's method from them)."""
    kind, *parameters = (part.strip() for part in message.attachment_type.split(";"))
    part = MIMEText(message.attachment, kind.partition("/")[2], "utf-8")
    for parameter in parameters:
        name, _is, value = parameter.partition("=")
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=message.attachment_name)
    return part


def queue_templated_email(
    to: str, template: str, context: dict, attachment: Attachment | None = None
) -> OutboxMessage:
    """Queue the e-mail rendered from `<template>_subject.txt` and `<template>_message.txt`."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_message.txt", context)
    return queue_email(to, subject, body, attachment)


def request_delivery(schema: str) -> None:
    """Ask a worker to deliver in `schema` now; if the broker is down, the periodic
    retry will. The schema is the one the message was queued in, which is not always
    the connection's by the time the transaction commits (onboarding queues inside
    a region's context and commits outside it).

    The task is named, not imported: the task module calls this one, not the reverse."""
    try:
        current_app.send_task(DELIVERY_TASK, retry=False, headers={"_schema_name": schema})
    except Exception:  # the broker being unreachable must never fail the request
        logger.warning("Broker unreachable; outbox delivery waits for the periodic retry")


def retry_delay(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failed attempt: it doubles each time."""
    return timedelta(seconds=settings.OUTBOX_FIRST_RETRY_SECONDS * 2 ** (attempts - 1))


@dataclass(frozen=True)
class Outcome:
    status: str
    error: str = ""


SENT = Outcome(Status.SENT)


def describe(error: Exception) -> str:
    """What is kept of an error: its kind and SMTP code, never the server's text,
    which often repeats the recipient's address (the column is not encrypted)."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = min(answer[0] for answer in error.recipients.values())
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def is_refused_for_good(error: Exception) -> bool:
    """The server said no to this message (a 5xx for its recipient or its content):
    trying again cannot help, and it says nothing about the other messages."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and 500 <= error.smtp_code < 600


def claim_due() -> list[int]:
    """Take up to BATCH_SIZE due messages, earliest next attempt first, and mark them
    as being sent; the row locks end with this short transaction, before any SMTP."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=Status.WAITING, next_attempt_at__lte=now)
                | Q(status=Status.SENDING, claimed_at__lt=stale)
            )
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        OutboxMessage.objects.filter(pk__in=ids).update(status=Status.SENDING, claimed_at=now)
    return ids


def record_outcome(message: OutboxMessage, outcome: Outcome) -> None:
    """Write what became of one claimed message, unless another worker took it over."""
    now = timezone.now()
    attempts = message.attempts + 1
    changes: dict = {"attempts": F("attempts") + 1, "claimed_at": None, "last_error": ""}
    if outcome.status == Status.SENT:
        changes |= {"status": Status.SENT, "sent_at": now}
    elif outcome.status == Status.FAILED or attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        changes |= {"status": Status.FAILED, "last_error": outcome.error[:ERROR_MAX_LENGTH]}
    else:
        changes |= {
            "status": Status.WAITING,
            "next_attempt_at": now + retry_delay(attempts),
            "last_error": outcome.error[:ERROR_MAX_LENGTH],
        }
    OutboxMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
    ).update(**changes)


# What deciding a claimed message's outcome reads; the encrypted fields are read apart.
OUTCOME_FIELDS = ("pk", "attempts", "claimed_at", "next_attempt_at")
CONTENT_FIELDS = ["subject", "body", "to", "attachment_name", "attachment_type", "attachment"]


def send_claimed(ids: list[int]) -> int:
    """Send the claimed messages over one connection; returns how many went out."""
    sent = 0
    with get_connection() as connection:
        claimed = OutboxMessage.objects.filter(pk__in=ids).only(*OUTCOME_FIELDS)
        for message in claimed.order_by("next_attempt_at", "id"):
            try:
                message.refresh_from_db(fields=CONTENT_FIELDS)
            except InvalidToken:
                # Encrypted under a key this process does not hold: no retry will read it,
                # and it must not stop the others (a key rotated wrongly, a restored copy).
                record_outcome(message, Outcome(Status.FAILED, "InvalidToken"))
                continue
            email = EmailMessage(
                message.subject,
                message.body,
                settings.DEFAULT_FROM_EMAIL,
                [message.to],
                connection=connection,
            )
            if message.attachment_name:
                email.attach(mime_attachment(message))
            try:
                email.send()
            except Exception as error:  # every failure is recorded; none stops the batch
                refused = is_refused_for_good(error)
                record_outcome(
                    message, Outcome(Status.FAILED if refused else Status.WAITING, describe(error))
                )
                if not refused:
                    connection.close()  # the next message opens a fresh one
                continue
            record_outcome(message, SENT)
            sent += 1
    return sent


def deliver_pending() -> int:
    """Send what is due in the current schema; returns how many were sent. Safe to run
    in parallel: each worker claims other rows."""
    sent = 0
    for _batch in range(MAX_BATCHES_PER_RUN):
        ids = claim_due()
        if not ids:
            break
        try:
            sent += send_claimed(ids)
        except OSError as error:  # the server unreachable: opening the connection failed
            outcome = Outcome(Status.WAITING, describe(error))
            for message in OutboxMessage.objects.filter(pk__in=ids, status=Status.SENDING):
                record_outcome(message, outcome)
    return sent


def failed_messages() -> QuerySet[OutboxMessage]:
    """The messages given up on, newest first (recipient and body are encrypted)."""
    return OutboxMessage.objects.filter(status=Status.FAILED).order_by("-created_at", "-id")


def retry(messages: QuerySet[OutboxMessage]) -> int:
    """Give failed messages a fresh series of attempts, starting now; returns how many."""
    count = messages.filter(status=Status.FAILED).update(
        status=Status.WAITING, attempts=0, next_attempt_at=timezone.now()
    )
    if count:
        transaction.on_commit(partial(request_delivery, connection.schema_name))
    return count
