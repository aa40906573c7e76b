"""The write paths for conversions: record a reported event, and the conversion settings.

`record_event`:
1. Validate, and reduce what was reported to a fingerprint.
2. An event_id seen before answers with its event when the fingerprint matches (a retry), and
   EventIdReused when it does not. The unique event_id settles a race: the loser reads the
   winner's row and answers the same way.
3. Credit the contact's last real message from us within the attribution window.
4. A purchase is also an inbound touch, and makes the contact a customer: a lead is won, a
   former customer is won back (the former-customer clock restarts), a customer stays one.
5. Tell listeners ("event.<name>"), so journeys enrol on it or reach their goal.
"""

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dearly.contacts.models import Contact, Lifecycle
from dearly.contacts.services import update_contact
from dearly.conversions.attribution import last_message_before
from dearly.conversions.models import ContactEvent, ConversionSettings
from dearly.conversions.validation import (
    ConversionError,
    clean_event_id,
    clean_name,
    clean_occurred_at,
    clean_properties,
    clean_value,
)
from dearly.core.actor import Actor
from dearly.core.audit import record_event as audit
from dearly.core.signals import emit_contact_event
from dearly.touches.models import Direction, Kind, TouchChannel
from dearly.touches.services import log_touch

PURCHASE = "purchase"
EVENT_ORIGIN = "event"  # the purchase touch's origin: ("event", ContactEvent.pk)
WON_REASONS: dict[str, str] = {
    Lifecycle.LEAD: "purchase",
    Lifecycle.FORMER: "won back by a purchase",
}
ATTRIBUTION_DAYS_LIMIT = 90
LAPSE_DAYS_LIMIT = 3650


class EventIdReused(ConversionError):
    """The event_id was reported before with different details."""


@transaction.atomic
def record_event(
    *,
    contact: Contact,
    name: str,
    event_id: str,
    occurred_at: dt.datetime | None = None,
    value: Decimal | int | str | None = None,
    currency: str = "",
    properties: dict[str, Any] | None = None,
    actor: Actor,
) -> tuple[ContactEvent, bool]:
    """The event for this event_id, and whether this call recorded it."""
    now = timezone.now()
    event = ContactEvent(
        event_id=clean_event_id(event_id),
        name=clean_name(name),
        contact=contact,
        occurred_at=clean_occurred_at(occurred_at, now=now),
        properties=clean_properties(properties),
    )
    event.value, event.currency = clean_value(value, currency or "")
    event.fingerprint = _fingerprint(event, occurred_at_given=occurred_at is not None)
    if seen := _seen(event):
        return seen, False
    settings = ConversionSettings.current()
    if touch := last_message_before(
        contact_id=contact.pk, at=event.occurred_at, days=settings.attribution_days
    ):
        event.touch, event.origin_type, event.origin_id = touch, touch.origin_type, touch.origin_id
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:  # the same event_id committed first
        if seen := _seen(event):
            return seen, False
        raise
    if event.name == PURCHASE:
        _purchased(event, actor=actor, lapse_days=settings.lapse_days, now=now)
    emit_contact_event(
        contact_id=contact.pk,
        name=f"event.{event.name}",
        occurred_at=event.occurred_at,
        properties=signal_properties(event),
    )
    return event, True


def signal_properties(event: ContactEvent) -> dict[str, Any]:
    """JSON-friendly: the value travels as a string so no precision is lost."""
    return {
        **event.properties,
        "value": None if event.value is None else str(event.value),
        "currency": event.currency,
        "event_id": event.event_id,
    }


def _fingerprint(event: ContactEvent, *, occurred_at_given: bool) -> str:
    canonical = {
        "name": event.name,
        "contact": event.contact.pk,
        # An omitted time means "now" each time it is sent; a retry must still match.
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat()
        if occurred_at_given
        else None,
        "value": None if event.value is None else str(event.value),
        "currency": event.currency,
        "properties": event.properties,
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _seen(event: ContactEvent) -> ContactEvent | None:
    seen = ContactEvent.objects.filter(event_id=event.event_id).first()
    if seen is None:
        return None
    if seen.fingerprint != event.fingerprint:
        raise EventIdReused(
            f"event_id {event.event_id!r} was already used for a different event",
            field="event_id",
        )
    return seen


def _purchased(event: ContactEvent, *, actor: Actor, lapse_days: int, now: dt.datetime) -> None:
    channel = event.properties.get("channel")
    log_touch(
        contact=event.contact,
        kind=Kind.PURCHASE,
        channel=channel if channel in TouchChannel.values else TouchChannel.WEB,
        direction=Direction.INBOUND,
        occurred_at=event.occurred_at,
        actor=actor,
        origin_type=EVENT_ORIGIN,
        origin_id=event.pk,
        value=event.value,
        currency=event.currency,
    )
    stage = Contact.objects.values_list("lifecycle_stage", flat=True).get(pk=event.contact.pk)
    # A purchase older than the lapse period (a back-filled order) wins nobody back: the lapse
    # chore would make them former again the next night.
    recent = event.occurred_at > now - dt.timedelta(days=lapse_days)
    if stage in WON_REASONS and recent:
        update_contact(
            actor=actor,
            contact=event.contact,
            values={"lifecycle_stage": Lifecycle.CUSTOMER},
            lifecycle_reason=WON_REASONS[stage],
        )


@transaction.atomic
def set_settings(*, actor: Actor, attribution_days: int, lapse_days: int) -> ConversionSettings:
    if not 1 <= attribution_days <= ATTRIBUTION_DAYS_LIMIT:
        raise ConversionError(
            f"choose between 1 and {ATTRIBUTION_DAYS_LIMIT} days", field="attribution_days"
        )
    if not 30 <= lapse_days <= LAPSE_DAYS_LIMIT:
        raise ConversionError(f"choose between 30 and {LAPSE_DAYS_LIMIT} days", field="lapse_days")
    current, _ = ConversionSettings.objects.select_for_update().get_or_create(pk=1)
    old = {"attribution_days": current.attribution_days, "lapse_days": current.lapse_days}
    current.attribution_days, current.lapse_days = attribution_days, lapse_days
    current.save(update_fields=["attribution_days", "lapse_days", "updated_at"])
    new = {"attribution_days": attribution_days, "lapse_days": lapse_days}
    if old != new:
        audit(actor=actor, action="settings.changed", subject=current, old=old, new=new)
    return current
