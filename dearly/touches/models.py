"""The one touch log (C2, E6, H1): every time the business and a person reached each other.

A touch is a message delivered on any channel, a reply, a call, a visit, a purchase or a survey
answer. `real` says whether it counts as keeping in touch: an unanswered call is logged, but it
does not reset the rhythm. The newest real touch is copied onto the contact
(`Contact.last_touch_at`) so the overdue list is one indexed comparison, not an aggregate over
millions of touches.

A staff task is a touch someone still has to make (call, card, visit). Completing it logs the
touch.
"""

import uuid

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    MESSAGE = "message", "Message"
    REPLY = "reply", "Reply"
    CALL = "call", "Call"
    VISIT = "visit", "Visit"
    PURCHASE = "purchase", "Purchase"
    SURVEY = "survey", "Survey answer"
    NOTE = "note", "Note"


class TouchChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PHONE = "phone", "Phone"
    POST = "post", "Post"
    SOCIAL = "social", "Social"
    IN_PERSON = "in_person", "In person"
    WEB = "web", "Web or shop"


class Direction(models.TextChoices):
    OUTBOUND = "out", "From us"
    INBOUND = "in", "From them"


class CallOutcome(models.TextChoices):
    """What came of a call or visit; only the first two reset the rhythm."""

    SPOKE = "spoke", "Spoke with them"
    LEFT_MESSAGE = "left_message", "Left a message"
    NO_ANSWER = "no_answer", "No answer"
    WRONG_NUMBER = "wrong_number", "Wrong number"


UNREAL_OUTCOMES = frozenset({CallOutcome.NO_ANSWER, CallOutcome.WRONG_NUMBER})


class Touch(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="touches", db_index=False
    )
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=TouchChannel.choices)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    real = models.BooleanField(default=True)
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    # Where it came from, without foreign keys: ("campaign", id), ("journey", id), ("rhythm",
    # id), ("task", id), ("event", id) …; the outbox message for a delivered message.
    origin_type = models.CharField(max_length=20, blank=True)
    origin_id = models.BigIntegerField(null=True, blank=True)
    message_id = models.BigIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The contact's timeline and last touch: WHERE contact_id=%s ORDER BY occurred_at DESC.
            models.Index(fields=["contact", "-occurred_at"], name="touch_contact"),
            # Attribution and reports: WHERE origin_type=%s AND origin_id=%s.
            models.Index(fields=["origin_type", "origin_id", "occurred_at"], name="touch_origin"),
            # The dashboard: touches this month, by branch and kind.
            models.Index(fields=["occurred_at", "branch"], name="touch_recent"),
        ]
        constraints = [
            # One touch per delivered message, however often the sent batch is recorded.
            models.UniqueConstraint(
                fields=["message_id"],
                name="touch_message_unique",
                condition=models.Q(message_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel} {self.occurred_at:%Y-%m-%d}"


class TaskKind(models.TextChoices):
    CALL = "call", "Call"
    CARD = "card", "Send a card"
    VISIT = "visit", "Visit"
    FOLLOW_UP = "follow_up", "Follow up"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Task(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="tasks")
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=TaskKind.choices)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_type = models.CharField(max_length=20, blank=True)
    origin_id = models.BigIntegerField(null=True, blank=True)
    # An origin that must not create the same task twice (a journey step, an overdue pass).
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    touch = models.ForeignKey(
        Touch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The task list: WHERE status='open' [AND branch_id=%s] ORDER BY due_at.
            models.Index(
                fields=["branch", "due_at"], name="task_open", condition=models.Q(status="open")
            ),
            # The owner's task list and the nav count: WHERE status='open' ORDER BY due_at (branch
            # staff are scoped through the contact's branch, which follows a moved contact).
            models.Index(
                fields=["due_at"], name="task_open_due", condition=models.Q(status="open")
            ),
        ]

    def __str__(self) -> str:
        return self.title
