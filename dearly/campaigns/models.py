"""A campaign: one message to an audience, reviewed, then launched into the outbox.

A draft names a segment and a template. Launching binds the template's latest version (so
editing the template afterwards never changes mail already queued) and writes one outbox row
per recipient. The outbox rows carry origin ("campaign", id); the campaign never holds them.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from dearly.campaigns.recurring_rule import describe_rule
from dearly.contacts.models import Purpose
from dearly.delivery.models import MessagePurpose


class Value(models.TextChoices):
    """What a marketing message gives the reader (D3): it must give something, not only sell."""

    OFFER = "offer", "An offer"
    FREE_RESOURCE = "free_resource", "A free resource"
    USEFUL_INFORMATION = "useful_information", "Useful information"
    INVITATION = "invitation", "An invitation"
    COMPETITION = "competition", "A competition"
    INSPIRATION = "inspiration", "Inspiration"


class Schedule(models.TextChoices):
    NOW = "now", "As soon as possible"
    AT = "at", "At a time I choose"
    WINDOW = "window", "In each recipient's send window"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    LAUNCHED = "launched", "Launched"
    CANCELLED = "cancelled", "Cancelled"


class Campaign(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    # No segment means everyone the sender may see who consented to the purpose.
    segment = models.ForeignKey(
        "audiences.Segment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        "messaging.EmailTemplate", on_delete=models.PROTECT, related_name="campaigns"
    )
    # The content bound at launch; empty while a draft.
    version = models.ForeignKey(
        "messaging.TemplateVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    purpose = models.CharField(max_length=16, choices=MessagePurpose.choices)
    consent_purpose = models.CharField(max_length=12, choices=Purpose.choices, blank=True)
    value = models.CharField(max_length=20, choices=Value.choices, blank=True)
    schedule = models.CharField(max_length=8, choices=Schedule.choices, default=Schedule.NOW)
    send_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    launched_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)  # outbox rows written at launch
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT

    @property
    def is_marketing(self) -> bool:
        return self.purpose != MessagePurpose.SERVICE

    @property
    def was_launched(self) -> bool:
        """Launched or scheduled: its messages are in the outbox."""
        return self.launched_at is not None

    @property
    def waits_to_start(self) -> bool:
        """Scheduled for a time still to come: nothing has gone yet."""
        return (
            self.status == CampaignStatus.SCHEDULED
            and self.send_at is not None
            and self.send_at > timezone.now()
        )

    @property
    def started_at(self) -> dt.datetime | None:
        """When its messages began to go: the chosen time for a scheduled campaign, else the
        launch. None while a draft."""
        if self.status == CampaignStatus.SCHEDULED and self.send_at is not None:
            return self.send_at
        return self.launched_at

    @property
    def status_label(self) -> str:
        """ "Scheduled" only until its time comes; then it is under way like any launched one."""
        if self.status == CampaignStatus.SCHEDULED and not self.waits_to_start:
            return str(CampaignStatus.LAUNCHED.label)
        return self.get_status_display()


class SeriesStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"


class Series(models.Model):
    """A recurring campaign (G2): "the newsletter, on the first and third Thursday at 09:00".

    Each issue becomes an ordinary Campaign, launched by a chore, with its own report. The
    rule ({"weekdays": [3], "nths": [1, 3], "time": "09:00"}; see campaigns.recurring_rule)
    is read in the business's time zone, so an issue keeps its local hour across DST.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    segment = models.ForeignKey(
        "audiences.Segment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        "messaging.EmailTemplate", on_delete=models.PROTECT, related_name="series"
    )
    purpose = models.CharField(max_length=16, choices=MessagePurpose.choices)
    consent_purpose = models.CharField(max_length=12, choices=Purpose.choices, blank=True)
    value = models.CharField(max_length=20, choices=Value.choices, blank=True)
    schedule = models.CharField(max_length=8, choices=Schedule.choices, default=Schedule.WINDOW)
    rule = models.JSONField(default=dict)
    status = models.CharField(
        max_length=8, choices=SeriesStatus.choices, default=SeriesStatus.ACTIVE
    )
    # The next issue the chore will create; None while paused.
    next_issue_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "series"
        indexes = [
            # The chore, every minute: WHERE status='active' AND next_issue_at <= now.
            models.Index(
                fields=["next_issue_at"],
                name="series_due",
                condition=models.Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == SeriesStatus.ACTIVE

    @property
    def is_marketing(self) -> bool:
        return self.purpose != MessagePurpose.SERVICE

    @property
    def schedule_text(self) -> str:
        return describe_rule(self.rule)


class IssueStatus(models.TextChoices):
    PENDING = "pending", "Being launched"
    LAUNCHED = "launched", "Launched"
    BLOCKED = "blocked", "Not sent: the review found a problem"
    SKIPPED = "skipped", "Skipped"


class SeriesIssue(models.Model):
    """One date of a series. The unique (series, issue_date) pair is what makes each issue
    exist once, however many workers run the chore at the same moment."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="issues")
    issue_date = models.DateField()  # in the business's time zone
    due_at = models.DateTimeField()
    campaign = models.OneToOneField(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="issue"
    )
    status = models.CharField(
        max_length=10, choices=IssueStatus.choices, default=IssueStatus.PENDING
    )
    note = models.TextField(blank=True)  # why it was blocked or skipped
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "issue_date"], name="series_issue_once")
        ]
        indexes = [
            # Issues the chore still has to launch: WHERE status='pending'.
            models.Index(
                fields=["due_at"], name="series_issue_pending", condition=models.Q(status="pending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.issue_date}"
