"""The tables of the project shell: where the cache lives while Redis is down, and the
outbox through which every e-mail goes."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldpunt.cache import FALLBACK_TABLE
from meldpunt.encryption import EncryptedTextField


class CacheFallbackEntry(models.Model):
    """Django's database-cache layout (what `createcachetable` makes), created by a
    migration so that every schema has it, the template new regions are cloned from
    included. Only `meldpunt.cache` reads and writes it."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = FALLBACK_TABLE

    def __str__(self) -> str:
        return self.cache_key


class OutboxMessage(models.Model):
    """An e-mail committed with the change that caused it, sent when the mail path is
    up; every schema has its own (a region's, and the platform's in the public one)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("wacht")
        SENDING = "sending", _("wordt verstuurd")
        SENT = "sent", _("verstuurd")
        FAILED = "failed", _("mislukt")

    to = EncryptedTextField()
    subject = models.CharField(max_length=200)
    body = EncryptedTextField()
    # One file sent along (a calendar invitation), encrypted like the body.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # When a worker may take it (again): the order of delivery, so a message that keeps
    # failing moves back and never holds up the ones behind it.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set while a worker sends it outside the row lock; a claim left behind by a worker
    # that died is taken again after OUTBOX_CLAIM_TIMEOUT.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_due",
                condition=models.Q(status__in=["waiting", "sending"]),
            ),
            models.Index(
                fields=["status"], name="outbox_failed", condition=models.Q(status="failed")
            ),
        ]

    def __str__(self) -> str:
        return self.subject
