"""The daily lapse chore: a customer with no purchase for `lapse_days` becomes a former customer.

1. One set-based query picks customers whose last purchase touch, and the last change of their
   stage (when they became a customer, by a purchase or by hand), are both older than the
   lapse period. A customer who never purchased is judged by that change alone.
2. Each is moved through contacts.services.update_contact, in its own transaction, so the
   change is audited, a LifecycleChange row is written and "lifecycle.changed" starts win-back
   journeys.
3. At most LAPSE_BATCH contacts a run, oldest id first; the rest follow on the next days. A
   contact already moved is no longer a customer, so a rerun never moves anyone twice.
"""

import datetime as dt
import logging

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce

from dearly.contacts.models import Contact, Lifecycle
from dearly.contacts.services import update_contact
from dearly.conversions.models import ConversionSettings
from dearly.core.actor import Actor
from dearly.touches.models import Kind, Touch

LAPSE_BATCH = 1000
log = logging.getLogger("dearly.conversions")


def lapsed_customers(*, now: dt.datetime, lapse_days: int) -> QuerySet[Contact]:
    cutoff = now - dt.timedelta(days=lapse_days)
    recent_purchase = Touch.objects.filter(
        contact_id=OuterRef("pk"), kind=Kind.PURCHASE, occurred_at__gte=cutoff
    )
    return (
        Contact.objects.filter(lifecycle_stage=Lifecycle.CUSTOMER)
        .alias(since=Coalesce("lifecycle_changed_at", "created_at"))
        .filter(since__lt=cutoff)
        .filter(~Exists(recent_purchase))
    )


def lapse_customers(now: dt.datetime) -> int:
    lapse_days = ConversionSettings.current().lapse_days
    ids = list(
        lapsed_customers(now=now, lapse_days=lapse_days)
        .order_by("pk")
        .values_list("pk", flat=True)[:LAPSE_BATCH]
    )
    actor = Actor.system("lapse")
    reason = f"no purchase for {lapse_days} days"
    for contact in Contact.objects.filter(pk__in=ids).order_by("pk"):
        update_contact(
            actor=actor,
            contact=contact,
            values={"lifecycle_stage": Lifecycle.FORMER},
            lifecycle_reason=reason,
        )
    if ids:
        log.info("conversions.lapsed count=%d capped=%s", len(ids), len(ids) == LAPSE_BATCH)
    return len(ids)
