"""Outbound webhooks: who listens, and a durable outbox of deliveries to them.

A Delivery row is written in the same transaction as the change it reports, so a change that
commits always has its deliveries and one that rolls back has none. The worker sends them
after commit (hooks.outbox), each try an Attempt row, retried with backoff to a cap.
"""

import uuid

from django.conf import settings
from django.db import models

from dearly.hooks.events import EventType


class Subscription(models.Model):
    """An address another system gave us, the events it wants, and the secret we sign with.

    The secret must be kept readable to sign with (HMAC), so unlike an API key it is stored as
    is; it is shown to the owner once, when the subscription is made, and never logged.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)  # EventType values
    secret = models.CharField(max_length=100)
    # SSRF protection off for this one: it may reach loopback and private addresses.
    allow_private_network = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        return [EventType(e).label for e in self.events if e in EventType.values]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class Delivery(models.Model):
    """One event for one subscription. Its public_id is the webhook-id header, the same on
    every try and on a replay, so the receiver can drop repeats."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    # The exact bytes that are signed and sent, fixed when the event happened.
    body = models.TextField()
    occurred_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The claim: WHERE status='pending' AND next_attempt_at <= now ORDER BY next_attempt_at.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="hooks_delivery_due",
                condition=models.Q(status="pending"),
            ),
            # Lease expiry: WHERE status='sending' AND claimed_at < now - lease.
            models.Index(
                fields=["claimed_at"],
                name="hooks_delivery_leases",
                condition=models.Q(status="sending"),
            ),
            # The delivery log: WHERE subscription_id=%s ORDER BY id DESC.
            models.Index(fields=["subscription", "-id"], name="hooks_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"


class Attempt(models.Model):
    """One try at the network: what the receiver answered, or why it could not be reached."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.status_code or self.error}"
