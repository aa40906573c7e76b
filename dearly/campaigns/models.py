"""A campaign: one message to an audience, reviewed, then launched into the outbox.

A draft names a segment and a template. Launching binds the template's latest version (so
editing the template afterwards never changes mail already queued) and writes one outbox row
per recipient. The outbox rows carry origin ("campaign", id); the campaign never holds them.
"""

import uuid

from django.conf import settings
from django.db import models

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
        return self.launched_at is not None
