"""How far a plan's objective has come: actual against target, against where a steady pace
would be today, and the cumulative series the chart draws.

1. A plan counts from the later of its period's first day and the moment it was made: what
   happened before it existed is not its doing. Purchase figures count only the purchases
   credited to the plan's own campaigns, series, journeys and rhythm (metrics.CREDITED).
2. The steady pace runs from zero at that moment to the target at the period's end.
3. Ahead or behind needs a basis: until a day has passed since the plan began counting, its
   status is "too early to tell" (unless the target is already met).

The audience narrows the objective through its segment only. The lifecycle stage is not
applied: a won-back contact is a customer now but was former when it counted, and the metric
itself already says whose purchases count (repeat purchases are by customers).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from dearly.audiences.compile import compile_rules
from dearly.audiences.schema import Schema
from dearly.contacts.models import Contact
from dearly.plans import metrics
from dearly.plans.chart import Chart, build_chart
from dearly.plans.models import Metric, Plan, Unit
from dearly.plans.origins import origins_of

HUNDRED = Decimal(100)
PACE_BASIS = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Progress:
    actual: Decimal
    target: Decimal
    expected: Decimal  # where a steady pace from zero on the first day would be by now
    elapsed: Decimal  # share of the period gone, 0..1
    status: str  # upcoming | ahead | on_pace | behind | met | missed
    base: int | None = None  # former customers at the start, for a percentage objective
    count: Decimal | None = None  # the raw count behind a percentage
    counting_from: dt.datetime | None = None  # the later of the period's start and creation
    credited_only: bool = False  # purchases count only when credited to the plan's messages

    @property
    def share(self) -> int:
        """Percent of the target reached, for a progress bar (capped at 100)."""
        if not self.target:
            return 100
        return min(100, int(self.actual * HUNDRED / self.target))

    @property
    def expected_share(self) -> int:
        if not self.target:
            return 100
        return min(100, int(self.expected * HUNDRED / self.target))

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


STATUS_LABELS = {
    "upcoming": "Not started yet",
    "too_early": "Too early to tell",
    "ahead": "Ahead of pace",
    "on_pace": "On pace",
    "behind": "Behind pace",
    "met": "Target met",
    "missed": "Ended short of target",
}


def audience(plan: Plan) -> QuerySet[Contact] | None:
    if plan.segment is None:
        return None
    schema = Schema.load()

    def zones() -> list[str]:
        return list(Contact.objects.order_by().values_list("time_zone", flat=True).distinct())

    return Contact.objects.filter(compile_rules(plan.segment.rules, schema=schema, zones=zones))


def counting_window(plan: Plan) -> tuple[dt.datetime, dt.datetime]:
    """[the later of the period's first moment and the plan's creation, the period's end)."""
    since, until = metrics.window(plan.period_start, plan.period_end)
    if plan.created_at is not None:
        since = min(max(since, plan.created_at), until)
    return since, until


def elapsed_share(plan: Plan, now: dt.datetime) -> Decimal:
    since, until = counting_window(plan)
    if now <= since:
        return Decimal(0)
    if now >= until:
        return Decimal(1)
    return Decimal((now - since) / (until - since)).quantize(Decimal("0.0001"))


def measure(plan: Plan, *, now: dt.datetime | None = None) -> tuple[Progress, Chart]:
    now = now or timezone.now()
    contacts = audience(plan)
    since, until = counting_window(plan)
    credited_only = plan.metric in metrics.CREDITED
    daily = metrics.between(
        plan.metric,
        since=since,
        until=until,
        contacts=contacts,
        credited=origins_of(plan).q() if credited_only else None,
    )
    base = None
    if plan.unit == Unit.PERCENT and plan.metric == Metric.WON_BACK:
        base = metrics.former_at(since, contacts)
    count = sum(daily.values(), Decimal(0))
    actual = _as_unit(count, base)
    elapsed = elapsed_share(plan, now)
    expected = (plan.target * elapsed).quantize(Decimal("0.01"))
    status = _status(actual, plan.target, expected, elapsed)
    if status in ("upcoming", "ahead", "on_pace", "behind") and since <= now < since + PACE_BASIS:
        status = "too_early"
    progress = Progress(
        actual=actual,
        target=plan.target,
        expected=expected,
        elapsed=elapsed,
        status=status,
        base=base,
        count=count if base is not None else None,
        counting_from=since,
        credited_only=credited_only,
    )
    today = now.astimezone(metrics.business_tz()).date()
    chart = build_chart(
        _cumulative(daily, plan.period_start, min(today, plan.period_end), base),
        start=plan.period_start,
        end=plan.period_end,
        target=plan.target,
        today=today,
        pace_from=since.astimezone(metrics.business_tz()).date(),
    )
    return progress, chart


def _as_unit(count: Decimal, base: int | None) -> Decimal:
    if base is None:
        return count
    if not base:
        return Decimal(0)
    return (count * HUNDRED / base).quantize(Decimal("0.1"))


def _status(actual: Decimal, target: Decimal, expected: Decimal, elapsed: Decimal) -> str:
    if actual >= target:
        return "met"
    if elapsed >= 1:
        return "missed"
    if elapsed <= 0:
        return "upcoming"
    if actual >= expected * Decimal("1.1") and actual - expected >= 1:
        return "ahead"
    # Within a tenth of the pace, or less than one unit short (early days), is on pace.
    if actual >= expected * Decimal("0.9") or expected - actual < 1:
        return "on_pace"
    return "behind"


def _cumulative(
    daily: metrics.Daily, start: dt.date, last: dt.date, base: int | None
) -> list[tuple[dt.date, Decimal]]:
    points, running, day = [], Decimal(0), start
    while day <= last:
        running += daily.get(day, Decimal(0))
        points.append((day, _as_unit(running, base)))
        day += dt.timedelta(days=1)
    return points
