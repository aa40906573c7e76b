"""A plan (C1): who it is for, what keeps in touch with them, and an objective to measure it by.

The plan holds no messages itself. It names the campaigns, series, journeys and rhythm that do
the work; their outbox rows and touches carry (origin_type, origin_id), so the plan's figures
are read from those by origin. An objective is one metric, a target and a period.
"""

import uuid

from django.conf import settings
from django.db import models

from dearly.contacts.models import Channel, Lifecycle


class Metric(models.TextChoices):
    PURCHASES = "purchases", "Purchases"
    REPEAT_PURCHASES = "repeat_purchases", "Repeat purchases"
    REVENUE = "revenue", "Revenue"
    WON_BACK = "won_back", "Former customers won back"
    SURVEY_ANSWERS = "survey_answers", "Survey answers"
    CONTACTS_TOUCHED = "contacts_touched", "Contacts kept in touch with"


class Unit(models.TextChoices):
    COUNT = "count", "A number"
    PERCENT = "percent", "A share of former customers at the start (%)"


class Plan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # The audience: a lifecycle stage, a segment, both, or (neither) everyone.
    lifecycle_stage = models.CharField(max_length=10, choices=Lifecycle.choices, blank=True)
    segment = models.ForeignKey(
        "audiences.Segment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channels = models.JSONField(default=list, blank=True)  # contacts.Channel values
    rhythm = models.ForeignKey(
        "rhythms.Rhythm", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    journeys = models.ManyToManyField("journeys.Journey", blank=True, related_name="+")
    campaigns = models.ManyToManyField("campaigns.Campaign", blank=True, related_name="+")
    series = models.ManyToManyField("campaigns.Series", blank=True, related_name="+")
    metric = models.CharField(max_length=20, choices=Metric.choices)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=8, choices=Unit.choices, default=Unit.COUNT)
    period_start = models.DateField()
    period_end = models.DateField()
    # The starter playbook this plan came from; one install per playbook.
    playbook = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_end", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["playbook"], name="plan_playbook_once", condition=~models.Q(playbook="")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def channel_labels(self) -> list[str]:
        """The plan's channels as people read them: "Email, SMS", not "email, sms"."""
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.channels]
