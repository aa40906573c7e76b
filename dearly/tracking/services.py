"""Writing message events: append-only, each at most once per event key."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction

from dearly.touches.services import record_reply
from dearly.tracking.models import EventKind, MessageEvent


@dataclass(frozen=True, slots=True)
class Sent:
    """The few facts about an outbox message that an event needs."""

    id: int
    public_id: uuid.UUID
    contact_id: int | None
    origin_type: str
    origin_id: int | None
    consent_purpose: str
    to_address: str


_FIELDS = ("id", "public_id", "contact_id", "origin_type", "origin_id")
_MORE = ("consent_purpose", "to_address")


def sent_message(**lookup: Any) -> Sent | None:
    """The outbox row an event is about. Events point at outbox messages by model label, as
    their foreign key does: delivery imports tracking's links when it composes, so tracking
    sits below delivery and reads its rows through the app registry, never its code."""
    outbox = apps.get_model("delivery", "OutboxMessage")
    row = outbox.objects.filter(**lookup).values(*_FIELDS, *_MORE).first()
    return None if row is None else Sent(**row)


def record_event(
    message: Sent,
    *,
    kind: str,
    occurred_at: dt.datetime,
    provider: str,
    event_key: str | None,
    detail: dict[str, Any] | None = None,
) -> MessageEvent | None:
    """Append one event; None when an event with the same key was already recorded. A reply
    also logs an inbound touch, in the same transaction."""
    event = MessageEvent(
        message_id=message.id,
        contact_id=message.contact_id,
        origin_type=message.origin_type,
        origin_id=message.origin_id,
        kind=kind,
        occurred_at=occurred_at,
        detail=detail or {},
        provider=provider,
        provider_event_id=event_key[:200] if event_key else None,
    )
    try:
        with transaction.atomic():
            event.save(force_insert=True)
            if kind == EventKind.REPLIED and message.contact_id is not None:
                # A reply is a touch from them, written with its event; a reply reported
                # twice fails on the event's key first, so it stays one touch.
                record_reply(
                    contact_id=message.contact_id,
                    occurred_at=occurred_at,
                    origin_type=message.origin_type,
                    origin_id=message.origin_id,
                )
    except IntegrityError:
        return None
    return event


def minute_key(kind: str, message: Sent, *parts: object, at: dt.datetime) -> str:
    """Our own opens and clicks: one per message (and link) per minute, so a reload, a double
    click or an image fetched twice is counted once."""
    minute = int(at.timestamp() // 60)
    return ":".join(["dearly", kind, str(message.id), *map(str, parts), str(minute)])
