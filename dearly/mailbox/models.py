from uuid import uuid4

from django.db import models
from django.utils import timezone


class CaughtMail(models.Model):
    """A message the built-in catcher received instead of delivering it (the demo's outbox)."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now)
    mail_from = models.CharField(max_length=320, blank=True)
    rcpt_to = models.TextField(help_text="Envelope recipients, comma-separated.")
    subject = models.CharField(max_length=998, blank=True)
    message_id = models.CharField(max_length=998, blank=True)
    raw = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The Mailbox page lists newest first.
            models.Index(fields=["-received_at", "-id"], name="mailbox_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.rcpt_to}"
