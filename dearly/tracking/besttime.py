"""Each contact's usual hour for reading (F3): the local hour at which they most often opened
or clicked over the last 90 days, given at least three such engagements.

A daily chore streams the window's open and click events ordered by contact, in chunks, and
keeps one contact's counts in memory at a time (memory stays flat however many events):
1. Each message counts once per local hour, so an open followed by three clicks on one
   email is one engagement, not four.
2. The hour with the most engagements wins; a tie goes to the earlier hour.
3. Rows are upserted in batches; a contact who no longer qualifies loses their row.
The policy gate reads the table a batch at a time (delivery.facts), never per message.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

from django.db import transaction

from dearly.core.zones import zone
from dearly.tracking.models import EventKind, MessageEvent, UsualHour

CHORE = "tracking.usual_hours"
EVERY = dt.timedelta(days=1)
LOOKBACK = dt.timedelta(days=90)
MIN_EVENTS = 3
CHUNK = 5000
ENGAGEMENT = (EventKind.OPENED, EventKind.CLICKED)

Event = tuple[int, str, int, dt.datetime]  # contact id, time zone, message id, occurred at


def learn(now: dt.datetime) -> int:
    """The chore: recompute every usual hour from the last LOOKBACK; returns how many."""
    rows = (
        MessageEvent.objects.filter(
            kind__in=ENGAGEMENT,
            occurred_at__gte=now - LOOKBACK,
            occurred_at__lte=now,
            contact__isnull=False,
        )
        .order_by("contact_id")
        .values_list("contact_id", "contact__time_zone", "message_id", "occurred_at")
        .iterator(chunk_size=CHUNK)
    )
    learned = 0
    batch: list[UsualHour] = []
    for found in usual_hours(rows):
        batch.append(
            UsualHour(contact_id=found[0], hour=found[1], events=found[2], computed_at=now)
        )
        if len(batch) == CHUNK:
            learned += _save(batch)
            batch = []
    learned += _save(batch)
    UsualHour.objects.filter(computed_at__lt=now).delete()
    return learned


def usual_hours(events: Iterable[Event]) -> Iterator[tuple[int, int, int]]:
    """(contact id, hour, engagements) for each contact with enough of them; `events` must
    come ordered by contact."""
    for contact_id, theirs in groupby(events, key=itemgetter(0)):
        counts = Counter(hour for _, hour in _engagements(theirs))
        if sum(counts.values()) < MIN_EVENTS:
            continue
        hour, n = min(counts.items(), key=lambda item: (-item[1], item[0]))
        yield contact_id, hour, n


def _engagements(events: Iterable[Event]) -> set[tuple[int, int]]:
    """(message id, local hour) pairs: each message once per hour."""
    return {(message_id, at.astimezone(zone(tz)).hour) for _, tz, message_id, at in events}


def _save(batch: list[UsualHour]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        UsualHour.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["contact"],
            update_fields=["hour", "events", "computed_at"],
        )
    return len(batch)


def hours_for(contact_ids: Iterable[int]) -> dict[int, int]:
    """{contact id: usual hour} for a batch of contacts, in one query."""
    ids = set(contact_ids)
    if not ids:
        return {}
    return dict(UsualHour.objects.filter(contact_id__in=ids).values_list("contact_id", "hour"))
