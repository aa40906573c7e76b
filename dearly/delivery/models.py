"""The outbox: every message is a row before anything is sent (E8).

A row moves queued → sending (claimed by one worker) → sent, or back to queued with a later
not_before (deferred by the policy gate, or a temporary failure with backoff), or to held
(the policy gate refused it, with the reason) or failed (a permanent failure). Each try at
the network is a DeliveryAttempt row.
"""

import uuid

from django.db import models

from dearly.messaging.models import MessagePurpose


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    HELD = "held", "Held"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class HoldReason(models.TextChoices):
    NO_CONSENT = "no_consent", "No consent for this purpose"
    SUPPRESSED = "suppressed", "Address on the suppression list"
    NO_ADDRESS = "no_address", "No address for the channel"
    MISSING_DATA = "missing_data", "Personal details the message needs are missing"
    CONTACT_GONE = "contact_gone", "Contact erased"
    WINDOW_CLOSED = "window_closed", "The send window never opens"
    TOO_OLD = "too_old", "Could not be sent in time"


class DeferReason(models.TextChoices):
    BUDGET = "budget", "Contact budget reached for now"
    WINDOW = "window", "Outside the send window"
    RETRY = "retry", "Temporary failure, retrying"
    PAUSED = "paused", "The person paused marketing"


class OutboxMessage(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Where it came from, without a foreign key: delivery never depends on campaigns.
    origin_type = models.CharField(max_length=20)  # "campaign", "api", "test", "journey"
    origin_id = models.BigIntegerField(null=True, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, default="email")
    purpose = models.CharField(max_length=16, choices=MessagePurpose.choices)
    # The consent purpose a marketing message needs (contacts.Purpose); blank for service.
    consent_purpose = models.CharField(max_length=12, blank=True)
    template_version_id = models.BigIntegerField()
    # What a marketing message gives the reader (D3: campaigns.Value); blank when it only sells
    # or for service mail. Kept per message so a contact's value-to-selling ratio is one query.
    value = models.CharField(max_length=20, blank=True)
    priority = models.SmallIntegerField(default=100)  # lower goes first; value before selling
    # Sent "in each recipient's window": the gate aims for the person's usual hour (F3,
    # tracking.UsualHour) when it falls inside the purpose's window.
    best_hour = models.BooleanField(default=False, db_default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    not_before = models.DateTimeField()
    defer_reason = models.CharField(max_length=10, choices=DeferReason.choices, blank=True)
    hold_reason = models.CharField(max_length=16, choices=HoldReason.choices, blank=True)
    hold_detail = models.CharField(max_length=200, blank=True)
    to_address = models.CharField(max_length=254, blank=True)
    attempts = models.SmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The claim: WHERE status='queued' AND not_before <= now ORDER BY priority, not_before.
            models.Index(
                fields=["priority", "not_before", "id"],
                name="outbox_claimable",
                condition=models.Q(status="queued"),
            ),
            # The contact budget: marketing messages sent (or in flight) to a contact lately.
            models.Index(
                fields=["contact", "sent_at"],
                name="outbox_budget",
                condition=models.Q(status__in=["sending", "sent"]) & ~models.Q(purpose="service"),
            ),
            # One contact's messages, newest first: the journeys' "opened the last message"
            # (WHERE contact_id=%s AND origin_type=%s AND origin_id=%s ORDER BY id DESC LIMIT 1)
            # and the contact's value ratio.
            models.Index(fields=["contact", "-id"], name="outbox_contact"),
            # The campaign report: counts by status for one origin.
            models.Index(fields=["origin_type", "origin_id", "status"], name="outbox_origin"),
            # Lease expiry: WHERE status='sending' AND claimed_at < now - lease.
            models.Index(
                fields=["claimed_at"], name="outbox_leases", condition=models.Q(status="sending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_type}:{self.origin_id} #{self.pk} {self.status}"

    @property
    def is_marketing(self) -> bool:
        return self.purpose != MessagePurpose.SERVICE


class Outcome(models.TextChoices):
    SENT = "sent", "Accepted by the server"
    TEMPORARY = "temporary", "Temporary failure"
    PERMANENT = "permanent", "Permanent failure"


class DeliveryAttempt(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.CharField(max_length=300, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    worker = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            # Provider webhooks that report only their own id (Postmark, SES, Brevo) find
            # the message through the attempt that the provider accepted.
            models.Index(
                fields=["provider_id"],
                name="attempt_provider_id",
                condition=~models.Q(provider_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.outcome}"


class DeliverySettings(models.Model):
    """The business's delivery rules (singleton, pk=1): the contact budget (F4) and windows."""

    budget_max = models.PositiveSmallIntegerField(default=2)
    budget_days = models.PositiveSmallIntegerField(default=7)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"at most {self.budget_max} per {self.budget_days} days"

    @classmethod
    def current(cls) -> "DeliverySettings":
        return cls.objects.filter(pk=1).first() or cls(pk=1)
