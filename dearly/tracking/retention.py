"""Tracking events (opens, clicks, deliveries, bounces) older than the business keeps them go."""

import datetime as dt

from dearly.core.queries import get_business
from dearly.core.retention import delete_before, months_before
from dearly.tracking.models import MessageEvent

CHORE = "tracking.retention"
EVERY = dt.timedelta(days=1)


def forget_old_events(now: dt.datetime) -> int:
    cutoff = months_before(now, get_business().keep_tracking_months)
    return delete_before(MessageEvent.objects.all(), "occurred_at", cutoff)
