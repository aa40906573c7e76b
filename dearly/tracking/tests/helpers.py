"""Small helpers for tracking tests: sent messages, stored links, signed webhook bodies."""

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from django.test import Client
from django.utils import timezone

from dearly.delivery.models import DeliveryAttempt, OutboxMessage
from dearly.delivery.outbox import enqueue_one
from dearly.delivery.tests.helpers import consenting
from dearly.tracking.links import prepare_links, store_links

MAILGUN_KEY = "key-for-tests-only-0123456789abcdef"
BASIC_AUTH = "hooks:webhook-secret-for-tests"


def sent(
    email: str = "ada@example.com",
    *,
    origin_type: str = "test",
    origin_id: int = 1,
    to_address: str = "",
) -> OutboxMessage:
    contact = consenting(email)
    message, _ = enqueue_one(
        contact=contact,
        origin_type=origin_type,
        origin_id=origin_id,
        purpose="promotional",
        consent_purpose="newsletter",
        template_version_id=7,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="sent", sent_at=timezone.now(), to_address=to_address or email
    )
    message.refresh_from_db()
    return message


def links_in(html: str, message: OutboxMessage) -> tuple[str, list[str]]:
    """What the composer does: rewrite, then store before sending."""
    rewritten, urls = prepare_links(html, message.public_id)
    store_links(urls)
    return rewritten, urls


def attempt_with_provider_id(message: OutboxMessage, provider_id: str) -> None:
    now = timezone.now()
    DeliveryAttempt.objects.create(
        message=message, started_at=now, finished_at=now, outcome="sent", provider_id=provider_id
    )


def basic_auth(credentials: str = BASIC_AUTH) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def mailgun_body(event_data: dict[str, Any], *, key: str = MAILGUN_KEY) -> str:
    """A webhook body signed the way Mailgun signs it: HMAC-SHA256 of timestamp + token."""
    timestamp, token = str(int(time.time())), secrets.token_hex(25)
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    block = {"timestamp": timestamp, "token": token, "signature": signature.hexdigest()}
    return json.dumps({"signature": block, "event-data": event_data})


def mailgun_event(message: OutboxMessage, event: str, **fields: Any) -> dict[str, Any]:
    # Mailgun reports our Message-ID without its angle brackets.
    return {
        "event": event,
        "timestamp": time.time(),
        "id": secrets.token_hex(8),
        "recipient": message.to_address,
        "message": {"headers": {"message-id": f"{message.public_id}@mail.example.com"}},
        **fields,
    }


def post_mailgun(client: Client, body: str, **headers: Any) -> Any:
    return client.post(
        "/webhooks/anymail/mailgun/tracking/", body, content_type="application/json", **headers
    )


def post_postmark(client: Client, payload: dict[str, Any], **headers: Any) -> Any:
    return client.post(
        "/webhooks/anymail/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        **headers,
    )
