"""Conversions (H3): purchases and other goals a shop or website reports, and what earned them.

An event is reported once per `event_id` (the caller's own id, such as the order number), so a
retry never counts a purchase twice. Each event is credited to the contact's last message from
us within the attribution window; the credited touch's origin (a campaign, a journey, a rhythm)
is copied onto the event, so a report sums its conversions with one indexed query.
"""

import uuid

from django.db import models


class ContactEvent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_id = models.CharField(max_length=200, unique=True)
    # A hash of what was reported, so a replay can be told from a reuse of the id.
    fingerprint = models.CharField(max_length=64)
    name = models.CharField(max_length=60)
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="events", db_index=False
    )
    occurred_at = models.DateTimeField()
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    properties = models.JSONField(default=dict, blank=True)
    touch = models.ForeignKey(
        "touches.Touch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_type = models.CharField(max_length=20, blank=True)
    origin_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # A report's totals: WHERE origin_type=%s AND origin_id IN (…) AND name=%s.
            models.Index(fields=["origin_type", "origin_id", "name"], name="event_origin"),
            # A contact's events, newest first (the API list, the timeline).
            models.Index(fields=["contact", "-occurred_at"], name="event_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.event_id}"


class ConversionSettings(models.Model):
    """The business's conversion rules (singleton, pk=1)."""

    attribution_days = models.PositiveSmallIntegerField(default=7)
    lapse_days = models.PositiveSmallIntegerField(default=365)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"credit {self.attribution_days} days, lapse after {self.lapse_days} days"

    @classmethod
    def current(cls) -> "ConversionSettings":
        return cls.objects.filter(pk=1).first() or cls(pk=1)
