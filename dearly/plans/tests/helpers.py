"""Small builders for plan tests: plans, purchases at a moment, sent messages with a value."""

import datetime as dt
from decimal import Decimal
from typing import Any

import time_machine

from dearly.contacts.models import Contact
from dearly.conversions.services import record_event
from dearly.core.actor import Actor
from dearly.delivery.models import OutboxMessage, Status
from dearly.delivery.outbox import enqueue_one
from dearly.plans.models import Plan
from dearly.plans.services import Details, create_plan
from dearly.touches.models import Direction, Kind, Touch, TouchChannel

ACTOR = Actor.system("tests")
LONDON = dt.timezone(dt.timedelta(0))  # November: London is on UTC
NOV_1 = dt.date(2026, 11, 1)
NOV_30 = dt.date(2026, 11, 30)


def at(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


def plan(*, made: dt.datetime | None = None, **kw: Any) -> Plan:
    """A November plan, made (by default) the day before its period starts."""
    kw.setdefault("name", "Repeat purchases this month")
    kw.setdefault("metric", "purchases")
    kw.setdefault("target", 10)
    kw.setdefault("period_start", NOV_1)
    kw.setdefault("period_end", NOV_30)
    with time_machine.travel(made or at(31, month=10), tick=False):
        return create_plan(actor=ACTOR, details=Details(**kw))


def part_of(found: Plan) -> int:
    """A campaign of the plan's, for messages whose purchases it is credited with."""
    from dearly.campaigns.tests.helpers import draft, template

    campaign = draft(template(name=f"Part of {found.name}"))
    found.campaigns.add(campaign)
    return campaign.pk


def message_touch(contact: Contact, when: dt.datetime, *, campaign_id: int) -> None:
    """The campaign's message reached the contact at `when` (a sent message's touch)."""
    Touch.objects.create(
        contact=contact,
        occurred_at=when,
        kind=Kind.MESSAGE,
        channel=TouchChannel.EMAIL,
        direction=Direction.OUTBOUND,
        origin_type="campaign",
        origin_id=campaign_id,
    )


_events = iter(range(1, 1_000_000))


def purchase(
    contact: Contact, when: dt.datetime, value: str = "10.00", *, via: int | None = None
) -> None:
    """A purchase reported at `when` (the clock is moved there so nothing is in the future);
    `via` a campaign id: an hour after that campaign's message, so it is credited to it."""
    if via is not None:
        message_touch(contact, when - dt.timedelta(hours=1), campaign_id=via)
    with time_machine.travel(when, tick=False):
        record_event(
            contact=contact,
            name="purchase",
            event_id=f"order-{next(_events)}",
            occurred_at=when,
            value=Decimal(value),
            currency="GBP",
            actor=ACTOR,
        )


def sent(
    contact: Contact,
    *,
    origin_type: str,
    origin_id: int | None,
    value: str,
    when: dt.datetime,
    purpose: str = "informational",
    status: str = Status.SENT,
) -> OutboxMessage:
    message, _ = enqueue_one(
        contact=contact,
        origin_type=origin_type,
        origin_id=origin_id,
        purpose=purpose,
        consent_purpose="" if purpose == "service" else "marketing",
        template_version_id=1,
        value=value,
        not_before=when,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, sent_at=when)
    return message
