"""The chore behind the dashboard: count once every 30 seconds, not on every page view.

Each count is one grouped query with the branch in its GROUP BY, so all scopes come out of the
same pass: the "all" scope sums every row, "branch:<id>" keeps that branch's. The windows are
small where the tables are big: touches of the last 35 days (index touch_recent), queued mail
of the next 14 days, held and deferred mail, open tasks. The results replace the Figures rows
in one transaction; `read(member)` is then one query by primary key.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.campaigns.models import Campaign, CampaignStatus, Series, SeriesStatus
from dearly.contacts.models import Consent, ConsentStatus, Contact
from dearly.core.models import Membership
from dearly.delivery.models import OutboxMessage, Status
from dearly.plans.models import Plan
from dearly.plans.progress import measure
from dearly.rhythms.models import Rhythm
from dearly.rhythms.overdue import annotated, audience, overdue_condition
from dearly.touches.models import Kind, Task, TaskStatus, Touch
from dearly.web.models import Figures

ALL = "all"
TOUCH_DAYS = 35  # the touches chart shows the last 30 days; the month can start 31 days ago
UPCOMING_DAYS = 14
PLANS_SHOWN = 6
Data = dict[str, Any]


def scope_for(member: Membership) -> str:
    return ALL if member.sees_all_branches else f"branch:{member.branch_id}"


def business_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


class Tally:
    """Nested counts per scope: add(branch_id, "held", "no_consent", n)."""

    def __init__(self, branch_ids: Iterable[int]) -> None:
        self.scopes: dict[str, Data] = {ALL: {}}
        for pk in branch_ids:
            self.scopes[f"branch:{pk}"] = {}

    def add(self, branch_id: int | None, *path: str, n: float) -> None:
        keys = [ALL] if branch_id is None else [ALL, f"branch:{branch_id}"]
        for key in keys:
            node = self.scopes.setdefault(key, {})
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = node.get(path[-1], 0) + n

    def put(self, key: str, value: Any) -> None:
        """A figure only those who see every branch get (plans, schedules)."""
        self.scopes[ALL][key] = value


def compute(now: dt.datetime) -> dict[str, Data]:
    tally = Tally(Branch.objects.values_list("pk", flat=True))
    _contacts(tally)
    _channels(tally)
    _touches(tally, now)
    _floor(tally, now)
    _upcoming(tally, now)
    _held(tally)
    _tasks(tally, now)
    names = dict(Branch.objects.values_list("pk", "name"))
    tally.put("plans", _plans(now))
    tally.put("scheduled", _scheduled(now))
    tally.put("branch_names", {str(k): v for k, v in names.items()})
    return tally.scopes


def refresh(now: dt.datetime) -> int:
    """The chore: recompute every scope and replace the rows."""
    scopes = compute(now)
    with transaction.atomic():
        Figures.objects.exclude(scope__in=scopes).delete()
        for scope, data in scopes.items():
            Figures.objects.update_or_create(
                scope=scope, defaults={"data": data, "computed_at": now}
            )
    return len(scopes)


def read(member: Membership, *, now: dt.datetime | None = None) -> Figures:
    """The member's figures; computed on the spot only when the chore never ran (a fresh
    install without a worker), so the first page view is never empty."""
    scope = scope_for(member)
    found = Figures.objects.filter(scope=scope).first()
    if found is None:
        refresh(now or timezone.now())
        found = Figures.objects.filter(scope=scope).first()
    return found or Figures(scope=scope, data={}, computed_at=now or timezone.now())


def _contacts(tally: Tally) -> None:
    rows = (
        Contact.objects.order_by()
        .values("branch_id", "lifecycle_stage")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "lifecycle_stage", "n")
    )
    for branch_id, stage, n in rows:
        tally.add(branch_id, "stages", stage, n=n)
        tally.add(branch_id, "branches", str(branch_id or ""), n=n)


def _channels(tally: Tally) -> None:
    rows = (
        Consent.objects.filter(status=ConsentStatus.GRANTED)
        .order_by()
        .values("contact__branch_id", "channel")
        .annotate(n=Count("contact", distinct=True))
        .values_list("contact__branch_id", "channel", "n")
    )
    for branch_id, channel, n in rows:
        tally.add(branch_id, "channels", channel, n=n)


def _day(value: dt.date | dt.datetime) -> str:
    return value.isoformat()[:10]


def _touches(tally: Tally, now: dt.datetime) -> None:
    """Real touches per local day of the last 35 days: messages apart from the rest."""
    since = now - dt.timedelta(days=TOUCH_DAYS)
    rows = (
        Touch.objects.filter(occurred_at__gte=since, occurred_at__lte=now, real=True)
        .annotate(day=TruncDate("occurred_at", tzinfo=business_tz()))
        .order_by()
        .values("day", "branch_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("day", "branch_id", "kind", "n")
    )
    for day, branch_id, kind, n in rows:
        group = "messages" if kind == Kind.MESSAGE else "people"
        tally.add(branch_id, "touches", _day(day), group, n=n)
        if kind == Kind.REPLY:
            tally.add(branch_id, "replies", _day(day), n=n)


def _floor(tally: Tally, now: dt.datetime) -> None:
    """Touches a day the rhythms need: the sum over their audiences of 1 / the current
    interval (a contact due every 14 days needs 1/14 of a touch a day)."""
    for rhythm in Rhythm.objects.filter(active=True).select_related("segment"):
        _, _, interval = overdue_condition(rhythm, now=now)
        rate = ExpressionWrapper(Value(1.0) / F("interval"), output_field=FloatField())
        rows = (
            annotated(audience(rhythm, now=now))
            .annotate(interval=interval)
            .order_by()
            .values("branch_id")
            .annotate(rate=Sum(rate))
            .values_list("branch_id", "rate")
        )
        for branch_id, value in rows:
            tally.add(branch_id, "floor_per_day", n=round(float(value or 0), 3))


def _upcoming(tally: Tally, now: dt.datetime) -> None:
    """Queued mail per local day of the next 14 days; what is due already counts as today."""
    until = now + dt.timedelta(days=UPCOMING_DAYS)
    today = timezone.localtime(now, business_tz()).date()
    rows = (
        OutboxMessage.objects.filter(status=Status.QUEUED, not_before__lt=until)
        .annotate(day=TruncDate("not_before", tzinfo=business_tz()))
        .order_by()
        .values("day", "contact__branch_id")
        .annotate(n=Count("pk"))
        .values_list("day", "contact__branch_id", "n")
    )
    for day, branch_id, n in rows:
        tally.add(branch_id, "upcoming", _day(max(day, today)), n=n)


def _held(tally: Tally) -> None:
    held = (
        OutboxMessage.objects.filter(status=Status.HELD)
        .order_by()
        .values("hold_reason", "contact__branch_id")
        .annotate(n=Count("pk"))
        .values_list("hold_reason", "contact__branch_id", "n")
    )
    for reason, branch_id, n in held:
        tally.add(branch_id, "held", reason or "other", n=n)
    deferred = (
        OutboxMessage.objects.filter(status=Status.QUEUED)
        .exclude(defer_reason="")
        .order_by()
        .values("defer_reason", "contact__branch_id")
        .annotate(n=Count("pk"))
        .values_list("defer_reason", "contact__branch_id", "n")
    )
    for reason, branch_id, n in deferred:
        tally.add(branch_id, "deferred", reason, n=n)


def _tasks(tally: Tally, now: dt.datetime) -> None:
    end_of_day = timezone.localtime(now, business_tz()).replace(
        hour=23, minute=59, second=59, microsecond=0
    )
    rows = (
        Task.objects.filter(status=TaskStatus.OPEN)
        .order_by()
        .values("contact__branch_id")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(due_at__lt=now)),
            today=Count("pk", filter=Q(due_at__gte=now, due_at__lte=end_of_day)),
        )
        .values_list("contact__branch_id", "n", "late", "today")
    )
    for branch_id, n, late, today in rows:
        tally.add(branch_id, "tasks", "open", n=n)
        tally.add(branch_id, "tasks", "late", n=late)
        tally.add(branch_id, "tasks", "today", n=today)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


def _plans(now: dt.datetime) -> list[Data]:
    """Plans whose period is running (or ended last), with progress against target."""
    today = timezone.localtime(now, business_tz()).date()
    plans = Plan.objects.filter(period_end__gte=today - dt.timedelta(days=7)).order_by(
        "period_end", "name"
    )
    out = []
    for plan in plans[:PLANS_SHOWN]:
        progress, _ = measure(plan, now=now)
        out.append(
            {
                "public_id": str(plan.public_id),
                "name": plan.name,
                "metric": plan.get_metric_display(),
                "percent": plan.unit == "percent",
                "actual": _number(progress.actual),
                "target": _number(progress.target),
                "share": progress.share,
                "expected_share": progress.expected_share,
                "status": progress.status,
                "label": progress.label,
                "period_end": plan.period_end.isoformat(),
            }
        )
    return out


def _scheduled(now: dt.datetime) -> list[Data]:
    """Campaigns set for a time still to come and the next issue of each series, within 14
    days; a scheduled campaign whose time has passed is under way, not upcoming."""
    until = now + dt.timedelta(days=UPCOMING_DAYS)
    found: list[Data] = [
        {
            "name": c.name,
            "at": c.send_at.isoformat(),
            "kind": "campaign",
            "url": f"/campaigns/{c.public_id}/",
        }
        for c in Campaign.objects.filter(
            status=CampaignStatus.SCHEDULED, send_at__gt=now, send_at__lt=until
        ).order_by("send_at")[:10]
        if c.send_at
    ]
    found += [
        {
            "name": s.name,
            "at": s.next_issue_at.isoformat(),
            "kind": "series",
            "url": f"/campaigns/series/{s.public_id}/",
        }
        for s in Series.objects.filter(
            status=SeriesStatus.ACTIVE, next_issue_at__lt=until
        ).order_by("next_issue_at")[:10]
        if s.next_issue_at
    ]
    return sorted(found, key=lambda x: x["at"])
