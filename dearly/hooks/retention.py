"""Webhook deliveries that are finished (delivered, or given up) and older than the business
keeps tracking events go, with their attempts; one still waiting to be sent is never deleted."""

import datetime as dt

from dearly.core.queries import get_business
from dearly.core.retention import delete_before, months_before
from dearly.hooks.models import Delivery, DeliveryStatus

CHORE = "hooks.retention"
EVERY = dt.timedelta(days=1)
FINISHED = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)


def forget_old_deliveries(now: dt.datetime) -> int:
    cutoff = months_before(now, get_business().keep_tracking_months)
    return delete_before(Delivery.objects.filter(status__in=FINISHED), "created_at", cutoff)
