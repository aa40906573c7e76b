"""Seeded data for the dashboard's tests: five overdue customers (three in North, two in
South), replies, held and waiting mail, an open task and a plan a quarter of the way."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from dearly.campaigns.tests.helpers import draft, template
from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.conversions.services import record_event
from dearly.core.actor import Actor
from dearly.delivery.models import DeferReason, HoldReason, OutboxMessage, Status
from dearly.plans.services import Details, create_plan
from dearly.rhythms import snapshot
from dearly.rhythms.services import create_rhythm
from dearly.touches.models import Direction, Kind, TouchChannel
from dearly.touches.services import create_task, log_touch
from dearly.web import figures

ACTOR = Actor.system("tests")


def _old(contact: Contact, days: int) -> None:
    """Make the contact's stage (and so their rhythm clock) start `days` ago."""
    Contact.objects.filter(pk=contact.pk).update(
        lifecycle_changed_at=timezone.now() - dt.timedelta(days=days)
    )


def _outbox(contact: Contact, **fields: object) -> OutboxMessage:
    fields.setdefault("not_before", timezone.now())
    return OutboxMessage.objects.create(
        origin_type="test",
        contact=contact,
        purpose="informational",
        consent_purpose="marketing",
        template_version_id=1,
        **fields,
    )


@pytest.fixture
def seeded(north, south):
    now = timezone.now()
    create_rhythm(
        actor=ACTOR,
        name="Customers every 14 days",
        lifecycle_stage="customer",
        phases=[{"every_days": 14}],
        action="task",
    )
    for i in range(3):
        _old(make_contact(branch=north, email=f"n{i}@example.com", lifecycle_stage="customer"), 60)
    for i in range(2):
        _old(make_contact(branch=south, email=f"s{i}@example.com", lifecycle_stage="customer"), 60)
    fresh = make_contact(
        branch=north, email="fresh@example.com", lifecycle_stage="customer", first_name="Rita"
    )
    log_touch(
        contact=fresh,
        kind=Kind.REPLY,
        channel=TouchChannel.EMAIL,
        direction=Direction.INBOUND,
        occurred_at=now - dt.timedelta(hours=2),
    )
    southern = make_contact(
        branch=south, email="sr@example.com", first_name="Sven", last_name="Southby"
    )
    log_touch(
        contact=southern,
        kind=Kind.REPLY,
        channel=TouchChannel.EMAIL,
        direction=Direction.INBOUND,
        occurred_at=now - dt.timedelta(hours=1),
    )
    _outbox(fresh, status=Status.HELD, hold_reason=HoldReason.NO_CONSENT)
    _outbox(southern, status=Status.HELD, hold_reason=HoldReason.MISSING_DATA)
    _outbox(southern, status=Status.HELD, hold_reason=HoldReason.MISSING_DATA)
    _outbox(
        fresh,
        status=Status.QUEUED,
        defer_reason=DeferReason.BUDGET,
        not_before=now + dt.timedelta(days=2),
    )
    create_task(contact=fresh, kind="call", title="Call Rita", due_at=now - dt.timedelta(hours=3))
    today = timezone.localdate()
    with time_machine.travel(now - dt.timedelta(days=10), tick=False):  # made when it began
        plan = create_plan(
            actor=ACTOR,
            details=Details(
                name="Purchases this month",
                metric="purchases",
                target=4,
                period_start=today - dt.timedelta(days=10),
                period_end=today + dt.timedelta(days=20),
            ),
        )
    campaign = draft(template())
    plan.campaigns.add(campaign)
    log_touch(  # the plan's message, which the purchase is credited to
        contact=fresh,
        kind=Kind.MESSAGE,
        channel=TouchChannel.EMAIL,
        direction=Direction.OUTBOUND,
        occurred_at=now - dt.timedelta(days=2),
        origin_type="campaign",
        origin_id=campaign.pk,
    )
    record_event(
        contact=fresh,
        name="purchase",
        event_id="p-1",
        occurred_at=now - dt.timedelta(days=1),
        value=40,
        currency="GBP",
        actor=ACTOR,
    )
    snapshot.refresh(now)
    figures.refresh(now)
    return now
