"""What the API must remember between calls: which request an idempotency key was used for."""

from django.db import models


class IdempotentRequest(models.Model):
    """A transactional send, remembered by its Idempotency-Key.

    The outbox row is unique on the key too (so no retry can write a second message); this
    row adds the fingerprint of the request body, so the same key with a different body is
    refused instead of silently answered with the first message. Keys are kept for good:
    a retry days later still finds its message.
    """

    key_hash = models.CharField(max_length=64, unique=True)  # sha256 of "api key id:key"
    fingerprint = models.CharField(max_length=64)  # sha256 of the canonical request body
    message = models.OneToOneField(
        "delivery.OutboxMessage", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key_hash[:12]}… → {self.message_id}"
