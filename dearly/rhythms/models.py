"""The cadence floor (C2): how often each audience should hear from the business at least.

A rhythm names an audience (a lifecycle stage, a segment, or both) and phases counted from the
day the contact entered their stage: "every 30 days for 180 days, then every 90". A contact is
overdue when their last real touch is older than their current phase allows.

Each time a contact falls overdue on a rhythm is an episode, keyed by the instant the clock
started (their last touch, or their stage change when never touched). The fill acts once per
episode: one message or one task; or records why it could not (a conflict with the contact
budget, no consent), which the overdue page shows and the fill retries later.

The snapshot holds per-rhythm, per-branch counts refreshed by a chore so the dashboard reads a
few rows, not a million contacts.
"""

import uuid

from django.conf import settings
from django.db import models

from dearly.rhythms.phases import describe
from dearly.touches.models import TaskKind


class Action(models.TextChoices):
    MESSAGE = "message", "Send the next message from the content pool"
    TASK = "task", "Create a task for the branch"


class Rhythm(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    # contacts.Lifecycle value; blank means any stage.
    lifecycle_stage = models.CharField(max_length=10, blank=True)
    segment = models.ForeignKey(
        "audiences.Segment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # [{"until_days": 180, "every_days": 30}, {"every_days": 90}]: days since the stage began;
    # the last phase has no end. See dearly.rhythms.phases.
    phases = models.JSONField()
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.MESSAGE)
    templates = models.ManyToManyField(
        "messaging.EmailTemplate", blank=True, related_name="+", verbose_name="content pool"
    )
    task_kind = models.CharField(max_length=10, choices=TaskKind.choices, default=TaskKind.CALL)
    purpose = models.CharField(max_length=16, default="informational")  # delivery.MessagePurpose
    consent_purpose = models.CharField(max_length=12, default="marketing")  # contacts.Purpose
    value = models.CharField(max_length=20, blank=True)  # campaigns.Value (D3)
    active = models.BooleanField(default=True)
    # Lower goes first: the fill serves rhythms in this order, and the outbox sends in it.
    priority = models.SmallIntegerField(default=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def described(self) -> str:
        return describe(self.phases)


class EpisodeState(models.TextChoices):
    QUEUED = "queued", "Message queued"
    TASK = "task", "Task created"
    CONFLICT = "conflict", "Could not act"
    CLOSED = "closed", "Conflict over: no longer overdue since then"


class ConflictReason(models.TextChoices):
    BUDGET = "budget", "Contact budget full"
    PAUSED = "paused", "The person paused marketing"
    NO_CONSENT = "no_consent", "No consent"
    NO_ADDRESS = "no_address", "No address"
    NO_CONTENT = "no_content", "No message in the content pool"


class Episode(models.Model):
    """One stretch of being overdue on one rhythm, and what the fill did about it."""

    rhythm = models.ForeignKey(Rhythm, on_delete=models.CASCADE, related_name="episodes")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # When the clock started: coalesce(last_touch_at, lifecycle_changed_at, created_at).
    anchor = models.DateTimeField()
    state = models.CharField(max_length=10, choices=EpisodeState.choices)
    reason = models.CharField(max_length=12, choices=ConflictReason.choices, blank=True)
    detail = models.CharField(max_length=200, blank=True)  # "budget full until 3 Dec"
    # A conflict is tried again from then on; null once the fill has acted.
    retry_at = models.DateTimeField(null=True, blank=True)
    message_id = models.BigIntegerField(null=True, blank=True)
    task_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "rhythm", "anchor"], name="rhythm_episode_once"
            ),
        ]
        indexes = [
            # Conflicts to show and count: WHERE rhythm_id=%s AND state='conflict'.
            models.Index(
                fields=["rhythm", "contact"],
                name="rhythm_episode_conflict",
                condition=models.Q(state="conflict"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rhythm_id}/{self.contact_id} {self.state}"


class Snapshot(models.Model):
    """Counts for one rhythm in one branch (null: contacts with no branch), as last computed."""

    rhythm = models.ForeignKey(Rhythm, on_delete=models.CASCADE, related_name="snapshots")
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    audience = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    on_rhythm = models.PositiveIntegerField(default=0)
    touched_this_month = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    avg_days_overdue = models.FloatField(default=0)
    computed_at = models.DateTimeField()

    # One row per (rhythm, branch): the refresh replaces a rhythm's rows in one transaction.

    def __str__(self) -> str:
        return f"{self.rhythm_id}/{self.branch_id}: {self.overdue} overdue"
