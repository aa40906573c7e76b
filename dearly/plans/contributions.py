"""What each part of a plan contributed in its period: per campaign, series, journey and
rhythm, the messages delivered (outbound message touches) and the purchases credited to it
(conversions attributed to its last touch)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from dearly.campaigns.launch import ORIGIN as CAMPAIGN
from dearly.conversions.queries import totals
from dearly.plans.metrics import window
from dearly.plans.models import Plan
from dearly.plans.origins import JOURNEY, RHYTHM, series_campaign_ids
from dearly.touches.models import Direction, Kind, Touch


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # Campaign | Series | Journey | Rhythm
    name: str
    url: str
    touches: int
    conversions: int
    revenue: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Part:
    kind: str
    name: str
    url: str
    origin_type: str
    origin_ids: list[int]


def parts_of(plan: Plan) -> list[Part]:
    parts = [
        Part("Campaign", c.name, _url("campaigns:detail", c.public_id), CAMPAIGN, [c.pk])
        for c in plan.campaigns.order_by("name")
    ]
    series = list(plan.series.order_by("name"))
    issues = series_campaign_ids([s.pk for s in series])
    parts += [
        Part("Series", s.name, _url("campaigns:series_detail", s.public_id), CAMPAIGN, issues[s.pk])
        for s in series
    ]
    parts += [
        Part("Journey", j.name, _url("journeys:detail", j.public_id), JOURNEY, [j.pk])
        for j in plan.journeys.order_by("name")
    ]
    if plan.rhythm is not None:
        parts.append(
            Part("Rhythm", plan.rhythm.name, _url("rhythms:list"), RHYTHM, [plan.rhythm.pk])
        )
    return parts


def _url(name: str, *args: object) -> str:
    """The part's own page, or "" where its app has none (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def contributions(plan: Plan) -> list[Row]:
    since, until = window(plan.period_start, plan.period_end)
    parts = parts_of(plan)
    sent = _sent_counts(parts, since=since, until=until)
    rows = []
    for part in parts:
        credited = totals(
            origin_type=part.origin_type, origin_ids=part.origin_ids, since=since, until=until
        )
        rows.append(
            Row(
                kind=part.kind,
                name=part.name,
                url=part.url,
                touches=sum(sent.get((part.origin_type, i), 0) for i in part.origin_ids),
                conversions=credited.count,
                revenue=credited.value,
                currency=credited.currency,
            )
        )
    return rows


def _sent_counts(parts: list[Part], *, since: object, until: object) -> dict[tuple[str, int], int]:
    """{(origin_type, origin_id): messages delivered in the period}, one grouped query."""
    by_type: dict[str, set[int]] = {}
    for part in parts:
        by_type.setdefault(part.origin_type, set()).update(part.origin_ids)
    found: dict[tuple[str, int], int] = {}
    for origin_type, ids in by_type.items():
        if not ids:
            continue
        rows = (
            Touch.objects.filter(
                kind=Kind.MESSAGE,
                direction=Direction.OUTBOUND,
                origin_type=origin_type,
                origin_id__in=ids,
                occurred_at__gte=since,
                occurred_at__lt=until,
            )
            .values("origin_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        found.update(((origin_type, r["origin_id"] or 0), r["n"]) for r in rows)
    return found
