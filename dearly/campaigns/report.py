"""The campaign report (H4): where every message is, and what recipients did with it.

Two queries read the outbox (statuses with reasons; sent per hour or day); tracking adds
two more (engagement totals; opens and clicks over time) when that app is present;
conversions adds one (purchases credited to the campaign, and their value per currency).
"""

import datetime as dt
import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q
from django.db.models.functions import Trunc
from django.utils import timezone

from dearly.campaigns.chart import Chart, Point, bucket_for, build_chart
from dearly.campaigns.launch import ORIGIN
from dearly.campaigns.models import Campaign
from dearly.conversions.models import ConversionSettings
from dearly.conversions.queries import Totals, totals
from dearly.delivery.models import DeferReason, HoldReason, OutboxMessage, Status
from dearly.delivery.transports import reports_deliveries

# "Sent" is a message the mail server accepted; "delivered" only what a provider confirmed
# reached the mailbox (a delivery event). One definition, on every page that shows them.
ENGAGEMENT = (
    ("delivered", "delivered (confirmed by the provider)"),
    ("opened", "opened"),
    ("clicked", "clicked"),
    ("bounced", "bounced"),
    ("unsubscribed", "unsubscribed"),
    ("complained", "marked as spam"),
)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    label: str
    count: int
    earliest: dt.datetime | None = None  # for deferred messages: the first may go then


@dataclass(slots=True)
class Report:
    queued: int = 0  # waiting for their time, not deferred by the gate
    sending: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    held: list[Reason] = field(default_factory=list)
    deferred: list[Reason] = field(default_factory=list)
    due: int = 0  # queued and already due, or being sent: the worker has work now
    engagement: dict[str, int] | None = None
    chart: Chart | None = None
    conversions: Totals | None = None  # purchases credited to this campaign's messages
    attribution_days: int = 0
    deliveries_reported: bool = True  # False: the transport (SMTP, the catcher) confirms none

    @property
    def held_total(self) -> int:
        return sum(r.count for r in self.held)

    @property
    def deferred_total(self) -> int:
        return sum(r.count for r in self.deferred)

    @property
    def total(self) -> int:
        waiting = self.queued + self.sending + self.deferred_total
        return waiting + self.sent + self.failed + self.cancelled + self.held_total

    @property
    def engagement_rows(self) -> list[tuple[str, str, int]]:
        figures = self.engagement or {}
        return [(name, label, figures.get(name, 0)) for name, label in ENGAGEMENT]

    @property
    def active(self) -> bool:
        """Worth refreshing: messages are going out right now."""
        return self.due > 0


def build_report(campaign: Campaign, *, now: dt.datetime) -> Report:
    report = _statuses(campaign, now=now)
    tz = timezone.get_current_timezone()
    assert isinstance(tz, ZoneInfo)
    bucket = bucket_for(now - (campaign.launched_at or now))
    points = _sent_over_time(campaign, bucket=bucket, tz=tz)
    if tracking := _tracking():
        report.engagement = tracking.summary(ORIGIN, campaign.pk)
        _add_engagement(points, tracking.timeline(ORIGIN, campaign.pk, bucket))
    report.chart = build_chart(points, bucket=bucket, tz=tz)
    report.conversions = totals(origin_type=ORIGIN, origin_ids=[campaign.pk])
    report.attribution_days = ConversionSettings.current().attribution_days
    report.deliveries_reported = reports_deliveries()
    return report


def _statuses(campaign: Campaign, *, now: dt.datetime) -> Report:
    rows = (
        OutboxMessage.objects.filter(origin_type=ORIGIN, origin_id=campaign.pk)
        .values("status", "hold_reason", "defer_reason")
        .annotate(
            n=Count("id"),
            earliest=Min("not_before"),
            due=Count("id", filter=Q(status=Status.SENDING) | Q(not_before__lte=now)),
        )
        .order_by()
    )
    report = Report()
    for row in rows:
        _tally(report, dict(row))
    report.held.sort(key=lambda r: -r.count)
    report.deferred.sort(key=lambda r: -r.count)
    return report


def _tally(report: Report, row: dict[str, Any]) -> None:
    status, n = row["status"], row["n"]
    if status == Status.QUEUED:
        report.due += row["due"]
        if row["defer_reason"]:
            code = row["defer_reason"]
            label = _label(DeferReason, code)
            report.deferred.append(Reason(code, label, n, row["earliest"]))
        else:
            report.queued += n
    elif status == Status.HELD:
        code = row["hold_reason"]
        report.held.append(Reason(code, _label(HoldReason, code), n))
    elif status == Status.SENDING:
        report.sending += n
        report.due += n
    elif status in (Status.SENT, Status.FAILED, Status.CANCELLED):
        setattr(report, status, getattr(report, status) + n)


def _label(choices: Any, code: str) -> str:
    return str(dict(choices.choices).get(code, code or "Other"))


def _sent_over_time(campaign: Campaign, *, bucket: str, tz: ZoneInfo) -> dict[dt.datetime, Point]:
    rows = (
        OutboxMessage.objects.filter(
            origin_type=ORIGIN, origin_id=campaign.pk, status=Status.SENT, sent_at__isnull=False
        )
        .annotate(at=Trunc("sent_at", bucket, tzinfo=tz))
        .values("at")
        .annotate(n=Count("id"))
        .order_by("at")
    )
    return {r["at"]: Point(at=r["at"], sent=r["n"]) for r in rows}


def _add_engagement(points: dict[dt.datetime, Point], timeline: list[dict[str, Any]]) -> None:
    for row in timeline:
        at = row["bucket"]
        sent = points[at].sent if at in points else 0
        opens, clicks = row.get("opened", 0), row.get("clicked", 0)
        points[at] = Point(at=at, sent=sent, opened=opens, clicked=clicks)


def _tracking() -> ModuleType | None:
    """Tracking's queries, when that app is installed in this build."""
    try:
        return importlib.import_module("dearly.tracking.queries")
    except ImportError:
        return None
