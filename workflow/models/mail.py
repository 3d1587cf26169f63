"""E-mail waiting to be sent: the outbox."""

from django.db import models
from django.utils import timezone

from meldpunt.encryption import EncryptedTextField


class OutboxMessage(models.Model):
    """An e-mail committed with the change that caused it, sent when the mail path is up."""

    to = EncryptedTextField()
    subject = models.CharField(max_length=200)
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.subject
