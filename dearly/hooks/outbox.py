"""The webhook outbox: queued with the change, sent by the worker after commit.

1. `queue` runs inside the transaction of the change (a signal receiver, hooks.receivers):
   one Delivery row per active subscription that chose the event, with the body fixed now.
   If the change rolls back, so do its deliveries; once it commits, nothing can lose them.
2. `deliver_due` is a worker chore. It puts back what a dead worker left in flight (an
   expired lease), then claims due rows: an UPDATE that sets `sending` and a fresh claim
   token only on rows still pending, committed before any network I/O; the rows carrying the
   token are ours (on PostgreSQL the candidates are also picked with SKIP LOCKED).
3. The claimed rows are posted in parallel threads that touch no database; each answer is
   then recorded as an Attempt, and the row becomes delivered, or pending again with a
   backoff that doubles from 30 seconds to a cap of six hours, or failed after the last try.
   A row is updated only while it still carries our token.
"""

import datetime as dt
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from dearly.hooks.models import Attempt, Delivery, DeliveryStatus, Subscription
from dearly.hooks.send import Answer, post, signed_headers

log = logging.getLogger("dearly.hooks")

LEASE = dt.timedelta(minutes=5)
BATCH = 10
MAX_ATTEMPTS = 12  # about a day and a half of tries with the backoff below
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=6)


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min … doubling to a cap of six hours."""
    return min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempts - 1)))


def wanting(event_type: str) -> list[int]:
    """The active subscriptions that chose this event (few rows: filtered here, not in SQL,
    since SQLite cannot search inside a JSON list)."""
    rows = Subscription.objects.filter(is_active=True).values_list("id", "events")
    return [pk for pk, events in rows if event_type in events]


def body_for(event_type: str, data: dict[str, Any], occurred_at: dt.datetime) -> str:
    envelope = {"type": event_type, "timestamp": occurred_at.isoformat(), "data": data}
    return orjson.dumps(envelope).decode()


def queue(
    *,
    event_type: str,
    items: list[tuple[dict[str, Any], dt.datetime]],
    subscription_ids: list[int],
) -> int:
    """One delivery per subscription per (data, occurred_at) item; in the caller's transaction."""
    now = timezone.now()
    rows = [
        Delivery(
            subscription_id=sub,
            event_type=event_type,
            body=body_for(event_type, data, occurred_at),
            occurred_at=occurred_at,
            next_attempt_at=now,
        )
        for data, occurred_at in items
        for sub in subscription_ids
    ]
    Delivery.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    public_id: uuid.UUID
    body: str
    url: str
    secret: str
    allow_private: bool
    attempts: int
    claim_token: uuid.UUID


def expire_leases(*, now: dt.datetime) -> int:
    return Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - LEASE
    ).update(status=DeliveryStatus.PENDING, claim_token=None, next_attempt_at=now)


def claim(*, now: dt.datetime, size: int = BATCH) -> list[Claimed]:
    token = uuid.uuid4()
    with transaction.atomic():
        due = Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription__is_active=True
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("id", flat=True)[:size])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_at=now, claim_token=token
        )
    rows = Delivery.objects.filter(claim_token=token).values(
        "id",
        "public_id",
        "body",
        "attempts",
        "subscription__url",
        "subscription__secret",
        "subscription__allow_private_network",
    )
    return [
        Claimed(
            id=r["id"],
            public_id=r["public_id"],
            body=r["body"],
            url=r["subscription__url"],
            secret=r["subscription__secret"],
            allow_private=r["subscription__allow_private_network"],
            attempts=r["attempts"],
            claim_token=token,
        )
        for r in rows
    ]


def send(claimed: Claimed) -> Answer:
    """The network part: no database here (it runs in a thread)."""
    body = claimed.body.encode()
    msg_id = f"msg_{claimed.public_id.hex}"
    headers = signed_headers(secret=claimed.secret, msg_id=msg_id, at=timezone.now(), body=body)
    return post(claimed.url, body, headers, allow_private=claimed.allow_private)


@transaction.atomic
def record(claimed: Claimed, answer: Answer, *, started: dt.datetime, now: dt.datetime) -> bool:
    """False when the row is no longer ours (its webhook was deleted meanwhile): nothing kept."""
    attempts = claimed.attempts + 1
    fields: dict[str, Any] = {
        "attempts": F("attempts") + 1,
        "claim_token": None,
        "last_status_code": answer.status_code,
        "last_error": answer.error,
    }
    if answer.delivered:
        fields |= {"status": DeliveryStatus.DELIVERED, "delivered_at": now}
    elif attempts >= MAX_ATTEMPTS:
        fields |= {"status": DeliveryStatus.FAILED}
    else:
        fields |= {"status": DeliveryStatus.PENDING, "next_attempt_at": now + backoff(attempts)}
    mine = Delivery.objects.filter(pk=claimed.id, claim_token=claimed.claim_token)
    if not mine.update(**fields):
        return False
    Attempt.objects.create(
        delivery_id=claimed.id,
        started_at=started,
        duration_ms=answer.duration_ms,
        status_code=answer.status_code,
        error=answer.error,
        response_excerpt=answer.excerpt,
    )
    return True


def deliver_due(now: dt.datetime) -> int:
    """The worker's chore: one batch of due deliveries; returns how many were tried."""
    expire_leases(now=now)
    claimed = claim(now=now)
    if not claimed:
        return 0
    started = timezone.now()
    with ThreadPoolExecutor(max_workers=min(5, len(claimed))) as pool:
        answers = list(pool.map(send, claimed))
    finished = timezone.now()
    for item, answer in zip(claimed, answers, strict=True):
        record(item, answer, started=started, now=finished)
        log.info(
            "hooks.attempt delivery=%s status=%s delivered=%s ms=%d",
            item.public_id,
            answer.status_code,
            answer.delivered,
            answer.duration_ms,
        )
    return len(claimed)
