"""Things that happen to a contact, told to whoever listens (journeys enrol on them).

Receivers run in the sender's transaction, so an enrolment is written together with the change
that caused it, or not at all. Names are stable strings: "contact.created", "consent.granted",
"lifecycle.changed", "touch.<kind>", "event.<name>" (API events such as event.purchase).
"""

import datetime as dt
from typing import Any

from django.dispatch import Signal

contact_event = Signal()  # kwargs: contact_id, name, occurred_at, properties
# Messages a transport accepted, told once per recorded batch in the recording transaction
# (outbound webhooks queue their deliveries on it). kwargs: message_ids (list[int]), sent_at.
messages_sent = Signal()


def emit_contact_event(
    *,
    contact_id: int,
    name: str,
    occurred_at: dt.datetime,
    properties: dict[str, Any] | None = None,
) -> None:
    contact_event.send(
        sender=None,
        contact_id=contact_id,
        name=name,
        occurred_at=occurred_at,
        properties=properties or {},
    )


def emit_messages_sent(*, message_ids: list[int], sent_at: dt.datetime) -> None:
    if message_ids:
        messages_sent.send(sender=None, message_ids=message_ids, sent_at=sent_at)
