"""The campaign report's engagement figures, read through the tracking_event_origin index."""

import datetime as dt
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Trunc
from django.utils import timezone

from dearly.tracking.models import EventKind, MessageEvent

K = EventKind


def events_for(origin_type: str, origin_id: int | None) -> QuerySet[MessageEvent]:
    return MessageEvent.objects.filter(origin_type=origin_type, origin_id=origin_id)


def _messages(*kinds: str, **more: Any) -> Count:
    return Count("message", distinct=True, filter=Q(kind__in=kinds, **more))


def summary(origin_type: str, origin_id: int | None) -> dict[str, int]:
    """Messages (not events) per outcome, in one aggregate query.

    A click proves the message was opened even when its images were blocked, so clicked
    messages count as opened too. Total opens and clicks are given beside the unique ones."""
    figures = events_for(origin_type, origin_id).aggregate(
        delivered=_messages(K.DELIVERED),
        opened=_messages(K.OPENED, K.CLICKED),
        clicked=_messages(K.CLICKED),
        bounced=_messages(K.BOUNCED),
        hard_bounced=_messages(K.BOUNCED, detail__severity="hard"),
        complained=_messages(K.COMPLAINED),
        unsubscribed=_messages(K.UNSUBSCRIBED),
        deferred=_messages(K.DEFERRED),
        opens=Count("id", filter=Q(kind=K.OPENED)),
        clicks=Count("id", filter=Q(kind=K.CLICKED)),
    )
    return {name: value or 0 for name, value in figures.items()}


def timeline(
    origin_type: str, origin_id: int | None, bucket: Literal["hour", "day"] = "hour"
) -> list[dict[str, Any]]:
    """Events per kind per hour or day (in the business's time zone), oldest first, for a
    chart: [{"bucket": datetime, "delivered": n, "opened": n, …}, …]. Buckets without events
    are left out; one GROUP BY query."""
    if bucket not in ("hour", "day"):
        raise ValueError(f"unknown bucket {bucket!r}")
    rows = (
        events_for(origin_type, origin_id)
        .annotate(bucket=Trunc("occurred_at", bucket, tzinfo=timezone.get_current_timezone()))
        .values("bucket", "kind")
        .annotate(n=Count("id"))
        .order_by("bucket", "kind")
    )
    series: dict[dt.datetime, dict[str, Any]] = {}
    for row in rows:
        point = series.setdefault(row["bucket"], {"bucket": row["bucket"], **_zeroes()})
        point[row["kind"]] = row["n"]
    return list(series.values())


def _zeroes() -> dict[str, int]:
    return dict.fromkeys(EventKind.values, 0)


def message_events(message_id: int) -> QuerySet[MessageEvent]:
    """One message's history, through the tracking_event_message index."""
    return MessageEvent.objects.filter(message_id=message_id).order_by("occurred_at", "id")
