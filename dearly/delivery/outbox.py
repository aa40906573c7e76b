"""Putting messages into the outbox: one row per recipient, written before anything is sent."""

import datetime as dt
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dearly.contacts.models import ConsentStatus, Contact
from dearly.delivery.facts import TEST_ORIGIN
from dearly.delivery.models import MessagePurpose, OutboxMessage, Status

TABLE = OutboxMessage._meta.db_table


def eligible(
    contacts: QuerySet[Contact], *, channel: str, purpose: str, consent_purpose: str
) -> QuerySet[Contact]:
    """The recipients a message may be built for: for marketing, only those who granted
    consent on the channel for the purpose. The policy gate checks again at sending."""
    if purpose == MessagePurpose.SERVICE:
        return contacts
    return contacts.filter(
        consents__channel=channel,
        consents__purpose=consent_purpose,
        consents__status=ConsentStatus.GRANTED,
    )


@transaction.atomic
def enqueue_audience(
    contacts: QuerySet[Contact],
    *,
    origin_type: str,
    origin_id: int,
    purpose: str,
    consent_purpose: str,
    template_version_id: int,
    channel: str = "email",
    not_before: dt.datetime | None = None,
    priority: int = 100,
    value: str = "",
    best_hour: bool = False,
) -> int:
    """Fan out one message per recipient with a single INSERT … SELECT: no Python loop over
    contacts, so a million recipients take seconds. Returns how many rows were written."""
    audience = eligible(contacts, channel=channel, purpose=purpose, consent_purpose=consent_purpose)
    select_sql, select_params = audience.order_by().values("id").distinct().query.sql_with_params()
    now = timezone.now()
    new_uuid = (
        "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    )
    sql = (
        f"INSERT INTO {TABLE} (public_id, origin_type, origin_id, contact_id, channel, purpose, "  # noqa: S608
        "consent_purpose, template_version_id, value, priority, status, not_before, defer_reason, "
        "hold_reason, hold_detail, to_address, attempts, created_at, best_hour) "
        f"SELECT {new_uuid}, %s, %s, recipients.id, %s, %s, %s, %s, %s, %s, 'queued', %s, '', '', "
        f"'', '', 0, %s, %s FROM ({select_sql}) AS recipients"
    )
    params = [
        origin_type,
        origin_id,
        channel,
        purpose,
        consent_purpose,
        template_version_id,
        value,
        priority,
        connection.ops.adapt_datetimefield_value(not_before or now),
        connection.ops.adapt_datetimefield_value(now),
        best_hour,
        *select_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def enqueue_one(
    *,
    contact: Contact,
    origin_type: str,
    purpose: str,
    template_version_id: int,
    consent_purpose: str = "",
    channel: str = "email",
    origin_id: int | None = None,
    not_before: dt.datetime | None = None,
    idempotency_key: str | None = None,
    priority: int = 50,
    value: str = "",
    best_hour: bool = False,
) -> tuple[OutboxMessage, bool]:
    """One message (a transactional send or a test); idempotent on `idempotency_key`."""
    values = {
        "origin_type": origin_type,
        "origin_id": origin_id,
        "contact": contact,
        "channel": channel,
        "purpose": purpose,
        "consent_purpose": consent_purpose,
        "template_version_id": template_version_id,
        "not_before": not_before or timezone.now(),
        "priority": priority,
        "value": value,
        "best_hour": best_hour,
    }
    if idempotency_key:
        return OutboxMessage.objects.get_or_create(idempotency_key=idempotency_key, defaults=values)
    return OutboxMessage.objects.create(**values), True


def enqueue_many(messages: Sequence[OutboxMessage]) -> None:
    """The batch form of enqueue_one, for callers that build many personal messages at once
    (the journey stepper): one INSERT instead of a SELECT, a savepoint and an INSERT per
    message. Each row needs an idempotency key; a key already present is skipped, so a batch
    redone after a failure queues each message once."""
    assert all(m.idempotency_key for m in messages), "enqueue_many needs idempotency keys"
    OutboxMessage.objects.bulk_create(messages, batch_size=1000, ignore_conflicts=True)


def cancel_origin(*, origin_type: str, origin_id: int) -> int:
    """Cancel what one campaign (or journey) still has waiting; sent mail is left alone."""
    return OutboxMessage.objects.filter(
        origin_type=origin_type, origin_id=origin_id, status=Status.QUEUED
    ).update(status=Status.CANCELLED)


def enqueue_test(*, template_version_id: int, to_address: str) -> OutboxMessage:
    """A test of a template to a member's own address: a service message with made-up data."""
    return OutboxMessage.objects.create(
        origin_type=TEST_ORIGIN,
        purpose=MessagePurpose.SERVICE,
        template_version_id=template_version_id,
        to_address=to_address,
        not_before=timezone.now(),
        priority=10,
    )
