"""The review step: everything the sender should know before launching, counted set-based."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from dearly.audiences.rules import InvalidRules
from dearly.campaigns.audience import audience_of, recipients_of
from dearly.campaigns.launch import latest_version
from dearly.campaigns.models import Campaign, Schedule
from dearly.campaigns.timing import (
    ZoneStart,
    describe_window,
    first_sends,
    window_for,
    windows_are_on,
)
from dearly.contacts.models import Contact
from dearly.core.models import Membership
from dearly.delivery.models import DeliverySettings, MessagePurpose, OutboxMessage, Status
from dearly.messaging.checks import Check, check_version, is_blocking
from dearly.messaging.fields import label
from dearly.messaging.missing import audience_gaps
from dearly.messaging.models import MissingDataPolicy, TemplateVersion
from dearly.tracking.models import UsualHour


@dataclass(frozen=True, slots=True)
class Gap:
    """Recipients who lack a field the template prints, and what they will get instead."""

    field: str
    label: str
    count: int
    fallback: str  # the owner's friendly wording; blank means the message is held


@dataclass(slots=True)
class Review:
    version: TemplateVersion | None
    problem: str = ""
    in_segment: int = 0
    recipients: int = 0
    without_email: int = 0
    gaps: list[Gap] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    window: str = ""
    windows_on: bool = True  # False: send windows are switched off, marketing goes at any time
    zones: list[ZoneStart] = field(default_factory=list)
    budget: DeliverySettings | None = None
    at_budget: int = 0
    usual_hours: int | None = None  # recipients with a learned usual hour (window mode only)

    @property
    def without_consent(self) -> int:
        return max(0, self.in_segment - self.recipients)

    @property
    def blocking(self) -> bool:
        return bool(self.problem) or is_blocking(self.checks)

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.level != "error"]

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.level == "error"]


def build_review(member: Membership, campaign: Campaign, *, now: dt.datetime) -> Review:
    version = campaign.version or latest_version(campaign)
    review = Review(
        version=version,
        window=describe_window(window_for(campaign.purpose)),
        windows_on=windows_are_on(),
    )
    if version is None:
        review.problem = "The template has no saved version yet."
        return review
    review.checks = check_version(version, purpose=campaign.purpose)
    try:
        audience = audience_of(member, campaign)
        recipients = recipients_of(member, campaign)
    except InvalidRules:
        review.problem = "The segment no longer works (a field or branch it uses has gone)."
        return review
    review.in_segment = audience.count()
    counts = recipients.aggregate(
        n=Count("pk", distinct=True),
        no_email=Count("pk", distinct=True, filter=Q(email__isnull=True) | Q(email="")),
    )
    review.recipients, review.without_email = counts["n"], counts["no_email"]
    review.gaps = gaps_for(version, recipients)
    review.zones = first_sends(recipients, campaign, now)
    if campaign.purpose != MessagePurpose.SERVICE:
        review.budget = DeliverySettings.current()
        review.at_budget = at_budget(recipients, review.budget, now=now)
        # The outbox waits for usual hours only inside send windows (delivery.facts.gather).
        if campaign.schedule == Schedule.WINDOW and review.windows_on:
            review.usual_hours = UsualHour.objects.filter(
                contact_id__in=recipients.order_by().values("pk")
            ).count()
    return review


def gaps_for(version: TemplateVersion, recipients: QuerySet[Contact]) -> list[Gap]:
    holds = version.missing_data_policy == MissingDataPolicy.HOLD
    return [
        Gap(
            field=name,
            label=label(name),
            count=count,
            fallback="" if holds else str(version.fallbacks.get(name) or "").strip(),
        )
        for name, count in audience_gaps(version, recipients).items()
        if count
    ]


def at_budget(recipients: QuerySet[Contact], budget: DeliverySettings, *, now: dt.datetime) -> int:
    """How many recipients have already had their marketing messages for the period: the
    gate will defer theirs until the oldest leaves the period. Counted as the gate counts."""
    since = now - dt.timedelta(days=budget.budget_days)
    return (
        OutboxMessage.objects.filter(
            contact_id__in=recipients.order_by().values("pk"),
            status__in=[Status.SENDING, Status.SENT],
        )
        .exclude(purpose=MessagePurpose.SERVICE)
        .annotate(at=Coalesce(F("sent_at"), F("claimed_at")))
        .filter(at__gt=since)
        .values("contact_id")
        .annotate(n=Count("id"))
        .filter(n__gte=budget.budget_max)
        .count()
    )
