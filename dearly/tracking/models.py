"""What happened to a message after it left: one append-only row per event (H1).

Events come from our own click and open tracking and from the providers' webhooks. The
message's origin is copied onto each event (it never changes), so the campaign report reads
one table through one index instead of joining the outbox.
"""

from django.db import models


class EventKind(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    DEFERRED = "deferred", "Delayed by the receiving server"
    BOUNCED = "bounced", "Bounced"  # detail.severity: "hard" or "soft"
    COMPLAINED = "complained", "Marked as spam"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    OPENED = "opened", "Opened"
    CLICKED = "clicked", "Clicked"  # detail: link index and URL
    REPLIED = "replied", "Replied"


class MessageEvent(models.Model):
    message = models.ForeignKey(
        "delivery.OutboxMessage", on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_type = models.CharField(max_length=20)
    origin_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    occurred_at = models.DateTimeField()
    # Only what the report needs: never the recipient's address, IP or user agent.
    detail = models.JSONField(default=dict, blank=True)
    provider = models.CharField(max_length=20)  # "dearly" for our own tracking, else the ESP
    # A provider may deliver one webhook several times; the second insert is refused. Our own
    # opens and clicks use a key per message (and link) per minute, so reloads count once.
    provider_event_id = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The campaign report: counts per kind (distinct messages) and per time bucket for
            # one origin — WHERE origin_type=%s AND origin_id=%s [GROUP BY kind, bucket].
            models.Index(
                fields=["origin_type", "origin_id", "kind", "occurred_at"],
                name="tracking_event_origin",
            ),
            # One message's history: WHERE message_id=%s ORDER BY occurred_at.
            models.Index(fields=["message", "occurred_at"], name="tracking_event_message"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.message_id}"


class TrackedLink(models.Model):
    """The links of a sent email, addressed by their content: the set key is a hash of the
    ordered URL list, so a campaign whose links are the same for everyone stores them once,
    and a personalised link gets its own set. A click token names a set and an index; only
    URLs stored here are ever redirected to."""

    set_key = models.CharField(max_length=32)
    index = models.PositiveSmallIntegerField()
    url = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # The click: WHERE set_key=%s AND index=%s; also makes storing a set idempotent.
            models.UniqueConstraint(fields=["set_key", "index"], name="tracking_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.set_key}[{self.index}]"


class UsualHour(models.Model):
    """The hour of the day (the contact's local time) at which a contact usually opens or
    clicks (F3), learned daily by tracking.besttime from recent events. A contact without
    enough history has no row, and messages go when their purpose's window opens."""

    contact = models.OneToOneField(
        "contacts.Contact", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    hour = models.PositiveSmallIntegerField()  # 0-23, local
    events = models.PositiveIntegerField()  # engagements at that hour, one per message
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.hour:02d}:00"
