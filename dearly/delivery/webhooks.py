"""Provider webhooks, verified and normalised by django-anymail, become message events.

Anymail checks the request (basic auth, and the provider's signature where there is one)
before it sends the `tracking` signal; a request that fails never reaches this module.

1. Find our message. Providers that keep our Message-ID (<public_id@domain>) report it
   (Mailgun, SendGrid's smtp-id); others report their own id, which the transport stored on
   the delivery attempt (Postmark, SES, Brevo, …). Metadata `dearly_id` also works, for
   transports that send it. An event for a message we did not send is logged and ignored.
2. Record the event once: the key is the provider's event id, or a hash of the event's
   facts for providers that send none, so a webhook delivered twice makes one row.
3. Suppress the address and withdraw consent when the news says so (consequences.py), in
   the same transaction as the event: if that fails, nothing is kept and anymail answers
   500, so the provider delivers the webhook again.
"""

import hashlib
import logging
import re
import uuid
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType, RejectReason
from django.db import transaction
from django.utils import timezone

from dearly.delivery.models import DeliveryAttempt
from dearly.tracking import consequences
from dearly.tracking.models import EventKind
from dearly.tracking.services import Sent, record_event, sent_message

log = logging.getLogger("dearly.delivery.webhooks")

KINDS = {
    EventType.DELIVERED: EventKind.DELIVERED,
    EventType.DEFERRED: EventKind.DEFERRED,
    EventType.BOUNCED: EventKind.BOUNCED,
    EventType.REJECTED: EventKind.BOUNCED,
    EventType.COMPLAINED: EventKind.COMPLAINED,
    EventType.UNSUBSCRIBED: EventKind.UNSUBSCRIBED,
    EventType.OPENED: EventKind.OPENED,
    EventType.CLICKED: EventKind.CLICKED,
}
_OUR_ID = re.compile(r"^<?([0-9a-fA-F-]{32,36})@[^>]*>?$")
_SMTP_CODE = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3}|[245]\d\d)\b")
_SOFT_TYPES = {"SoftBounce", "Transient", "DnsError"}  # Postmark's bounce types
_HARD_REJECTS = {RejectReason.INVALID, RejectReason.BOUNCED}


def on_tracking_event(
    sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any
) -> None:
    kind = KINDS.get(event.event_type)
    if kind is None:
        return
    provider = esp_name.lower()[:20]
    message = find_message(event)
    if message is None:
        log.info("tracking.webhook_unmatched provider=%s kind=%s", provider, kind)
        return
    detail = event_detail(kind, event)
    with transaction.atomic():
        recorded = record_event(
            message,
            kind=kind,
            occurred_at=event.timestamp or timezone.now(),
            provider=provider,
            event_key=f"{provider}:{event_key(event)}",
            detail=detail,
        )
        if recorded is None:
            log.info("tracking.webhook_duplicate provider=%s kind=%s", provider, kind)
            return
        consequences.apply(
            message, kind=kind, detail=detail, recipient=event.recipient, provider=provider
        )
    log.info("tracking.webhook provider=%s kind=%s message=%s", provider, kind, message.id)


def find_message(event: AnymailTrackingEvent) -> Sent | None:
    for candidate in (event.message_id, (event.metadata or {}).get("dearly_id")):
        public_id = _our_public_id(candidate)
        if public_id and (message := sent_message(public_id=public_id)):
            return message
    if not event.message_id:
        return None
    attempt = DeliveryAttempt.objects.filter(provider_id=str(event.message_id)[:200])
    message_id = attempt.values_list("message_id", flat=True).first()
    return None if message_id is None else sent_message(pk=message_id)


def _our_public_id(value: object) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    match = _OUR_ID.match(value.strip())
    try:
        return uuid.UUID(match.group(1) if match else value.strip())
    except ValueError:
        return None


def event_key(event: AnymailTrackingEvent) -> str:
    if event.event_id:
        return str(event.event_id)
    facts = [event.event_type, event.message_id, event.timestamp, event.recipient]
    facts.append(event.click_url)
    return "h:" + hashlib.sha256(repr(facts).encode()).hexdigest()[:40]


def event_detail(kind: str, event: AnymailTrackingEvent) -> dict[str, Any]:
    """Only what the report needs: no address, description or user agent."""
    if kind == EventKind.CLICKED:
        return {"url": event.click_url} if event.click_url else {}
    if kind not in (EventKind.BOUNCED, EventKind.DEFERRED):
        return {}
    code = _SMTP_CODE.search(event.mta_response or event.description or "")
    detail: dict[str, Any] = {"reason": event.reject_reason or "bounced"}
    if code:
        detail["code"] = code.group(1)
    if kind == EventKind.BOUNCED:
        detail["severity"] = "hard" if _is_hard(event, code and code.group(1)) else "soft"
    if event.event_type == EventType.REJECTED:
        detail["rejected"] = True
    return detail


def _is_hard(event: AnymailTrackingEvent, code: str | None) -> bool:
    if event.event_type == EventType.REJECTED:
        return event.reject_reason in _HARD_REJECTS
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    if esp_event.get("Type") in _SOFT_TYPES:
        return False
    return not (code and code.startswith("4"))
