"""What administrators do about e-mail the outbox gave up on: see it without its
content, and send it again. A regiobeheerder sees the region's, a national
administrator the platform's (each schema has its own outbox)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from meldpunt import outbox
from meldpunt.models import OutboxMessage

FAILED_LIST_LIMIT = 200


@dataclass(frozen=True)
class FailedMail:
    """What is shown of a failed message: never its body, the recipient masked."""

    pk: int
    recipient: str
    subject: str
    error: str
    attempts: int
    created_at: datetime


def mask_address(address: str) -> str:
    """Enough to recognise an address one knows (`j…@example.org`), too little to learn one."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def failed_mail(*, by: User) -> list[FailedMail]:
    """The newest failed messages, at most FAILED_LIST_LIMIT."""
    require(by, Action.MANAGE_MAIL)
    return [
        FailedMail(
            pk=message.pk,
            recipient=mask_address(message.to),
            subject=message.subject,
            error=message.last_error,
            attempts=message.attempts,
            created_at=message.created_at,
        )
        for message in outbox.failed_messages().defer("body")[:FAILED_LIST_LIMIT]
    ]


@transaction.atomic
def retry_failed_mail(*, by: User, ids: Iterable[int] | None = None) -> int:
    """Send failed messages again (the given ones, or all); returns how many."""
    require(by, Action.MANAGE_MAIL)
    chosen = None if ids is None else sorted(set(ids))
    messages = OutboxMessage.objects.all()
    if chosen is not None:
        messages = messages.filter(pk__in=chosen)
    retried = outbox.retry(messages)
    detail = {"mail_opnieuw_verstuurd": retried, "berichten": chosen or "alle mislukte"}
    record(AuditAction.CHANGE, user=by, detail=detail)
    return retried
