"""The snapshot chore: per rhythm and branch, who is in the audience, overdue, on rhythm.

One aggregate query per rhythm over its audience (grouped by branch), plus one over its open
conflicts; the rows replace the rhythm's previous rows in one transaction, so the dashboard and
the rhythms page read a handful of rows whatever the number of contacts.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from dearly.rhythms.models import Rhythm, Snapshot
from dearly.rhythms.overdue import (
    DaysSince,
    annotated,
    audience,
    open_conflicts,
    overdue_condition,
)


def month_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def compute(rhythm: Rhythm, *, now: dt.datetime) -> list[Snapshot]:
    prefilter, exact, interval = overdue_condition(rhythm, now=now)
    late = prefilter & exact
    rows = (
        annotated(audience(rhythm, now=now))
        .annotate(interval=interval)
        .order_by()
        .values("branch_id")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=late),
            touched=Count("pk", filter=Q(last_touch_at__gte=month_start(now))),
            avg_late=Avg(DaysSince("anchor", now) - interval, filter=late),
        )
    )
    conflicts = dict(
        open_conflicts(rhythm, now=now)
        .order_by()
        .values("contact__branch_id")
        .annotate(n=Count("pk"))
        .values_list("contact__branch_id", "n")
    )
    return [
        Snapshot(
            rhythm=rhythm,
            branch_id=row["branch_id"],
            audience=row["n"],
            overdue=row["late"],
            on_rhythm=row["n"] - row["late"],
            touched_this_month=row["touched"],
            conflicts=conflicts.get(row["branch_id"], 0),
            avg_days_overdue=round(row["avg_late"] or 0, 1),
            computed_at=now,
        )
        for row in rows
    ]


def refresh_rhythm(rhythm: Rhythm, *, now: dt.datetime) -> int:
    rows = compute(rhythm, now=now)
    with transaction.atomic():
        Snapshot.objects.filter(rhythm=rhythm).delete()
        Snapshot.objects.bulk_create(rows)
    return len(rows)


def refresh(now: dt.datetime) -> int:
    """The chore: every active rhythm; rows of paused or deleted rhythms go."""
    active = list(Rhythm.objects.filter(active=True).select_related("segment"))
    written = sum(refresh_rhythm(rhythm, now=now) for rhythm in active)
    Snapshot.objects.exclude(rhythm__in=active).delete()
    return written
