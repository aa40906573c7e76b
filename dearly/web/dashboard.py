"""The dashboard: relationship health at a glance, for the member's scope.

Big counts come from the figures row the chore keeps (dearly.web.figures, at most a minute
old) and the rhythms snapshot; the rest are short indexed reads: the latest replies, the next
open tasks, the latest changes. A page view is a handful of queries whatever the data's size.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dearly.contacts.models import Channel, Lifecycle
from dearly.core.access import Can, can, scope_to_member
from dearly.core.models import AuditEvent, Membership
from dearly.delivery.models import DeferReason, HoldReason
from dearly.rhythms.queries import Health, health
from dearly.touches.models import Kind, Task, Touch
from dearly.touches.queries import open_tasks_for_member
from dearly.web import charts
from dearly.web.figures import business_tz, read

TOUCH_CHART_DAYS = 30
REPLY_DAYS = 30
OVERDUE_URL = "/rhythms/overdue/"


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0


@dataclass(frozen=True)
class Scheduled:
    name: str
    at: dt.datetime
    kind: str
    url: str


@dataclass(frozen=True)
class Board:
    computed_at: dt.datetime
    total: int
    stages: dict[str, int]
    channels: list[Share]
    branches: list[Share]
    health: Health
    on_rhythm: charts.Ring
    overdue_by_branch: charts.HBars
    overdue_url: str
    touches: charts.Columns
    touches_this_month: int
    floor_this_month: int
    replies_this_month: int
    upcoming: charts.Columns
    scheduled: list[Scheduled]
    held: charts.HBars
    held_total: int
    plans: list[dict[str, Any]]
    tasks: dict[str, int]
    next_tasks: list[Task]
    replies: list[Touch]
    recent: list[AuditEvent]


def build(member: Membership, *, now: dt.datetime | None = None) -> Board:
    now = now or timezone.now()
    figures = read(member, now=now)
    data = figures.data
    today = timezone.localtime(now, business_tz()).date()
    stages = {stage: int(data.get("stages", {}).get(stage, 0)) for stage in Lifecycle.values}
    total = sum(stages.values())
    rhythm_health = health(member)
    touches, this_month, floor = _touches(data, today)
    held, held_total = _held(data)
    marketing = can(member, Can.SEND_CAMPAIGNS)
    return Board(
        computed_at=figures.computed_at,
        total=total,
        stages=stages,
        channels=_channels(data, total),
        branches=_branches(data, total) if member.sees_all_branches else [],
        health=rhythm_health,
        on_rhythm=charts.Ring(percent=round(100 * rhythm_health.on_rhythm_share)),
        overdue_by_branch=charts.hbars(
            [(c.label, c.overdue, OVERDUE_URL, c.label) for c in rhythm_health.branches]
        ),
        overdue_url=OVERDUE_URL,
        touches=touches,
        touches_this_month=this_month,
        floor_this_month=floor,
        replies_this_month=sum(
            int(n)
            for day, n in data.get("replies", {}).items()
            if day >= today.replace(day=1).isoformat()
        ),
        upcoming=_upcoming(data, today),
        scheduled=_scheduled(data) if marketing else [],
        held=held,
        held_total=held_total,
        plans=[_plan(p) for p in data.get("plans", [])] if marketing else [],
        tasks={k: int(data.get("tasks", {}).get(k, 0)) for k in ("open", "late", "today")},
        next_tasks=list(open_tasks_for_member(member)[:5]),
        replies=recent_replies(member, now=now),
        recent=recent_changes(member),
    )


def _plan(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan's figures with the progress bar's geometry (a 400-wide bar)."""
    return {**plan, "bar": 4 * int(plan["share"]), "pace": 4 * int(plan["expected_share"])}


def _days(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(count)]


def _touches(data: dict[str, Any], today: dt.date) -> tuple[charts.Columns, int, int]:
    """Real touches a day for the last 30 days against the floor the rhythms need a day."""
    by_day = data.get("touches", {})
    per_day = float(data.get("floor_per_day", 0))
    days = _days(today - dt.timedelta(days=TOUCH_CHART_DAYS - 1), TOUCH_CHART_DAYS)
    chart = charts.columns(
        [(d, by_day.get(d.isoformat(), {})) for d in days],
        series=("messages", "people"),
        line=per_day,
    )
    month = today.replace(day=1).isoformat()
    this_month = sum(int(sum(values.values())) for day, values in by_day.items() if day >= month)
    return chart, this_month, round(per_day * today.day)


def _upcoming(data: dict[str, Any], today: dt.date) -> charts.Columns:
    by_day = data.get("upcoming", {})
    days = _days(today, 14)
    return charts.columns(
        [(d, {"queued": by_day.get(d.isoformat(), 0)}) for d in days],
        series=("queued",),
        label_every=2,
        height=150,
    )


def _scheduled(data: dict[str, Any]) -> list[Scheduled]:
    return [
        Scheduled(x["name"], dt.datetime.fromisoformat(x["at"]), x["kind"], x["url"])
        for x in data.get("scheduled", [])
    ]


HELD_SHORT = {
    "no_consent": "No consent",
    "suppressed": "Suppressed address",
    "no_address": "No address",
    "missing_data": "Missing details",
    "contact_gone": "Contact erased",
    "window_closed": "Window never opens",
    "too_old": "Too late to send",
}
DEFER_SHORT = {
    "budget": "Budget full",
    "window": "Outside the window",
    "retry": "Retrying",
    "paused": "Person paused",
}


def _held(data: dict[str, Any]) -> tuple[charts.HBars, int]:
    """Held messages (will not go) and waiting ones (will go later), by reason; the bar's
    title gives the reason in full."""
    held_labels = dict(HoldReason.choices)
    defer_labels = dict(DeferReason.choices)
    items = [
        (
            f"Held · {HELD_SHORT.get(reason, reason)}",
            int(n),
            "",
            f"Held: {held_labels.get(reason, reason)}",
        )
        for reason, n in sorted(data.get("held", {}).items(), key=lambda x: -x[1])
    ]
    items += [
        (
            f"Waiting · {DEFER_SHORT.get(reason, reason)}",
            int(n),
            "",
            f"Waiting: {defer_labels.get(reason, reason)}",
        )
        for reason, n in sorted(data.get("deferred", {}).items(), key=lambda x: -x[1])
    ]
    return charts.hbars(items), sum(item[1] for item in items)


def _channels(data: dict[str, Any], total: int) -> list[Share]:
    """How many contacts granted at least one purpose on each channel."""
    by_channel = data.get("channels", {})
    return [Share(label, int(by_channel.get(value, 0)), total) for value, label in Channel.choices]


def _branches(data: dict[str, Any], total: int) -> list[Share]:
    names = data.get("branch_names", {})
    rows = [
        Share(names.get(pk, "No branch") if pk else "No branch", int(n), total)
        for pk, n in data.get("branches", {}).items()
    ]
    return sorted(rows, key=lambda s: -s.count)


def recent_replies(member: Membership, *, now: dt.datetime, limit: int = 6) -> list[Touch]:
    """The latest replies from contacts this member can see (last 30 days: an indexed range)."""
    touches = scope_to_member(
        Touch.objects.filter(kind=Kind.REPLY, occurred_at__gte=now - dt.timedelta(days=REPLY_DAYS)),
        member,
        branch_field="contact__branch",
    )
    return list(touches.select_related("contact").order_by("-occurred_at", "-id")[:limit])


def recent_changes(member: Membership, limit: int = 8) -> list[AuditEvent]:
    """The latest changes to contacts this member can see."""
    events = scope_to_member(
        AuditEvent.objects.filter(contact__isnull=False), member, branch_field="contact__branch"
    )
    return list(events.select_related("contact", "actor").order_by("-occurred_at", "-id")[:limit])
