"""Small builders for conversion tests: a fixed clock, contacts at a stage, messages we sent."""

import datetime as dt
from typing import Any

from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.conversions.models import ContactEvent
from dearly.conversions.services import record_event
from dearly.core.actor import Actor
from dearly.touches.models import Touch
from dearly.touches.services import log_touch

ACTOR = Actor.system("tests")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def days_ago(days: float, *, now: dt.datetime = NOW) -> dt.datetime:
    return now - dt.timedelta(days=days)


def contact(stage: str = "lead", email: str = "ada@example.com", **values: Any) -> Contact:
    return make_contact(email=email, lifecycle_stage=stage, **values)


def sent(who: Contact, at: dt.datetime, *, origin_id: int = 5, **kw: Any) -> Touch:
    """A message we delivered: an outbound touch from a campaign unless told otherwise."""
    kw.setdefault("kind", "message")
    kw.setdefault("channel", "email")
    kw.setdefault("direction", "out")
    kw.setdefault("origin_type", "campaign")
    return log_touch(contact=who, occurred_at=at, origin_id=origin_id, **kw)


def purchase(
    who: Contact, event_id: str = "order-1", value: str = "20.00", **kw: Any
) -> tuple[ContactEvent, bool]:
    kw.setdefault("currency", "GBP")
    return record_event(
        contact=who, name="purchase", event_id=event_id, value=value, actor=ACTOR, **kw
    )
