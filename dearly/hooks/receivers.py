"""How the lower layers tell webhooks what happened, without knowing webhooks exist.

Each receiver runs in the transaction of the change (Django sends post_save and our own
signals synchronously), asks which subscriptions want the event, and only then builds the
body and queues a delivery per subscription (hooks.outbox.queue). With no subscriber an
event costs one small query.

- contact.created / updated / erased: the audit row every contact change appends. An
  erasure also redacts the person from every webhook body already queued or sent.
- consent.changed: a consent ledger row.
- message.sent: core.signals.messages_sent, once per recorded batch.
- message.bounced / complained / replied, contact.unsubscribed: a message event row.
- purchase.recorded: core.signals.contact_event "event.purchase".
- touch.logged: a touch row (calls, visits, replies, purchases, notes; not our own sends).
"""

import datetime as dt
from typing import Any

from django.db.models.signals import post_save

from dearly.contacts.models import ConsentEvent, Contact
from dearly.core.models import AuditEvent
from dearly.core.signals import contact_event, messages_sent
from dearly.delivery.models import OutboxMessage
from dearly.hooks.events import EventType
from dearly.hooks.models import Delivery
from dearly.hooks.outbox import body_for, queue, wanting
from dearly.touches.models import Touch
from dearly.tracking.models import EventKind, MessageEvent

CONTACT_ACTIONS: dict[str, EventType] = {
    "contact.created": EventType.CONTACT_CREATED,
    "contact.updated": EventType.CONTACT_UPDATED,
    "contact.tags_changed": EventType.CONTACT_UPDATED,
    "contact.point_added": EventType.CONTACT_UPDATED,
    "contact.point_changed": EventType.CONTACT_UPDATED,
    "contact.point_removed": EventType.CONTACT_UPDATED,
    "contact.custom_fields_changed": EventType.CONTACT_UPDATED,
    "contact.household_changed": EventType.CONTACT_UPDATED,
}
MESSAGE_KINDS: dict[str, EventType] = {
    EventKind.BOUNCED: EventType.MESSAGE_BOUNCED,
    EventKind.COMPLAINED: EventType.MESSAGE_COMPLAINED,
    EventKind.REPLIED: EventType.MESSAGE_REPLIED,
    EventKind.UNSUBSCRIBED: EventType.CONTACT_UNSUBSCRIBED,
}
_SUMMARY = ("public_id", "email", "phone", "first_name", "last_name", "lifecycle_stage")


def connect() -> None:
    post_save.connect(on_audit, sender=AuditEvent, dispatch_uid="hooks.audit")
    post_save.connect(on_consent, sender=ConsentEvent, dispatch_uid="hooks.consent")
    post_save.connect(on_message_event, sender=MessageEvent, dispatch_uid="hooks.message_event")
    post_save.connect(on_touch, sender=Touch, dispatch_uid="hooks.touch")
    contact_event.connect(on_contact_event, dispatch_uid="hooks.contact_event")
    messages_sent.connect(on_messages_sent, dispatch_uid="hooks.messages_sent")


def contact_summary(contact_id: int | None) -> dict[str, Any] | None:
    if contact_id is None:
        return None
    row = Contact.objects.filter(pk=contact_id).values(*_SUMMARY, "branch__name").first()
    if row is None:
        return None
    summary = {k: row[k] for k in _SUMMARY[1:]}
    return {"id": str(row["public_id"]), **summary, "branch": row["branch__name"]}


def _queue_one(event_type: str, build: Any, occurred_at: dt.datetime) -> None:
    """Build the data only when someone listens."""
    if subscribers := wanting(event_type):
        queue(event_type=event_type, items=[(build(), occurred_at)], subscription_ids=subscribers)


def on_audit(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    if instance.action == "contact.erased":
        redact(instance.subject_id)
        _queue_one(
            EventType.CONTACT_ERASED,
            lambda: {"contact": {"id": instance.subject_id}},
            instance.occurred_at,
        )
        return
    event_type = CONTACT_ACTIONS.get(instance.action)
    if event_type is None:
        return
    _queue_one(
        event_type,
        lambda: {
            "contact": contact_summary(instance.contact_id),
            "change": instance.action.removeprefix("contact."),
            "old": instance.old,
            "new": instance.new,
            "source": instance.source,
        },
        instance.occurred_at,
    )


def redact(contact_public_id: str) -> int:
    """An erased person's data leaves the webhook outbox too: every body that names them,
    sent or not, keeps its type and time and loses its data."""
    if not contact_public_id:
        return 0
    rows = Delivery.objects.filter(body__contains=f'"id":"{contact_public_id}"')
    redacted = 0
    for delivery in rows.only("id", "event_type", "occurred_at"):
        body = body_for(delivery.event_type, {"redacted": "erased"}, delivery.occurred_at)
        redacted += Delivery.objects.filter(pk=delivery.pk).update(body=body)
    return redacted


def on_consent(sender: Any, instance: ConsentEvent, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    _queue_one(
        EventType.CONSENT_CHANGED,
        lambda: {
            "contact": contact_summary(instance.contact_id),
            "consent": {
                "id": str(instance.public_id),
                "channel": instance.channel,
                "purpose": instance.purpose,
                "action": instance.action,
                "method": instance.method,
                "source": instance.source,
                "occurred_at": instance.occurred_at.isoformat(),
            },
        },
        instance.occurred_at,
    )


def _message(message_id: int) -> dict[str, Any]:
    row = OutboxMessage.objects.filter(pk=message_id).values(*_MESSAGE).first() or {}
    return _message_data(row)


_MESSAGE = ("public_id", "contact_id", "origin_type", "channel", "purpose", "to_address")


def _message_data(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row.get("public_id", "")),
        "origin": row.get("origin_type", ""),
        "channel": row.get("channel", ""),
        "purpose": row.get("purpose", ""),
        "to": row.get("to_address", ""),
    }


def on_message_event(sender: Any, instance: MessageEvent, created: bool, **kwargs: Any) -> None:
    event_type = MESSAGE_KINDS.get(instance.kind)
    if not created or event_type is None:
        return
    _queue_one(
        event_type,
        lambda: {
            "message": _message(instance.message_id),
            "contact": contact_summary(instance.contact_id),
            "provider": instance.provider,
            "detail": instance.detail,
        },
        instance.occurred_at,
    )


def on_touch(sender: Any, instance: Touch, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    _queue_one(
        EventType.TOUCH_LOGGED,
        lambda: {
            "contact": contact_summary(instance.contact_id),
            "touch": {
                "id": str(instance.public_id),
                "kind": instance.kind,
                "channel": instance.channel,
                "direction": instance.direction,
                "outcome": instance.outcome,
                "occurred_at": instance.occurred_at.isoformat(),
            },
        },
        instance.occurred_at,
    )


def on_contact_event(
    sender: Any,
    contact_id: int,
    name: str,
    occurred_at: dt.datetime,
    properties: dict[str, Any],
    **kwargs: Any,
) -> None:
    if name != "event.purchase":
        return
    _queue_one(
        EventType.PURCHASE_RECORDED,
        lambda: {"contact": contact_summary(contact_id), "purchase": properties},
        occurred_at,
    )


def on_messages_sent(
    sender: Any, message_ids: list[int], sent_at: dt.datetime, **kwargs: Any
) -> None:
    subscribers = wanting(EventType.MESSAGE_SENT)
    if not subscribers:
        return
    rows = OutboxMessage.objects.filter(pk__in=message_ids).values(*_MESSAGE, "contact__public_id")
    items = [
        (
            {
                "message": _message_data(row),
                "contact": {"id": str(row["contact__public_id"])} if row["contact_id"] else None,
            },
            sent_at,
        )
        for row in rows
    ]
    queue(event_type=EventType.MESSAGE_SENT, items=items, subscription_ids=subscribers)
