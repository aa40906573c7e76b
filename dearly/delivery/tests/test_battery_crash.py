"""The reliability battery: `dearly worker` killed with SIGKILL at 20 random points of one large
send to a real SMTP server that records every Message-ID. Nothing is lost; the only repeats are
messages that were in flight at a kill, and a repeat carries the same Message-ID.

DEARLY_BATTERY_MESSAGES sets the size (3,000 in the suite; 100,000 by hand), and
DEARLY_BATTERY_SEED the kill points.
"""

import datetime as dt
import os
import random
import re
import signal
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from dearly.contacts.models import Contact
from dearly.delivery.claim import LEASE, expire_leases
from dearly.delivery.compose import compose, message_id
from dearly.delivery.models import OutboxMessage, Status
from dearly.delivery.outbox import enqueue_audience
from dearly.delivery.tests.test_end_to_end import template_version
from dearly.delivery.transports.base import get_transport
from dearly.delivery.transports.testing import ScriptedHandler, smtp_server
from dearly.delivery.worker import Worker

pytestmark = [
    pytest.mark.battery,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    # The forked worker only runs the send loop and is then killed; the SMTP server's thread
    # stays in the parent.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

MESSAGES = int(os.environ.get("DEARLY_BATTERY_MESSAGES", "3000"))
SEED = int(os.environ.get("DEARLY_BATTERY_SEED", "20261208"))
KILLS = 20
BATCH = 200
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass
class RecordingHandler(ScriptedHandler):
    """Keeps only (recipient, Message-ID) of each accepted message: 100,000 stay small."""

    seen: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        head = envelope.original_content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        mid = found.group(1).decode() if found else ""
        for rcpt in envelope.rcpt_tos:
            self.seen.append((rcpt, mid))
        return "250 2.0.0 Ok"


def population(count: int) -> None:
    """`count` contacts written in bulk (the scale matters here, not the contact service)."""
    for start in range(0, count, 5000):
        Contact.objects.bulk_create(
            Contact(email=f"p{i}@example.com", first_name=f"P{i}", time_zone="Europe/London")
            for i in range(start, min(start + 5000, count))
        )


def spawn(email_url: str) -> int:
    """A worker process forked from this one: the same code as `dearly worker`, without paying
    Python's and Django's start-up 21 times. It has a database connection of its own."""
    connections.close_all()  # the child must not share the parent's connection
    pid = os.fork()
    if pid:
        return pid
    try:  # the child: never return into the test runner
        settings.EMAIL_URL = email_url
        settings.MAIL_CATCHER = False
        Worker(compose=compose, transport=get_transport, batch_size=BATCH, idle_seconds=0.05).run()
    finally:
        os._exit(0)


def kill(pid: int, sig: int = signal.SIGKILL) -> None:
    os.kill(pid, sig)
    os.waitpid(pid, 0)


def unsent() -> int:
    return OutboxMessage.objects.exclude(status=Status.SENT).count()


def test_kill_9_at_twenty_random_points_loses_nothing_and_repeats_only_the_in_flight(
    requires_postgres,
):
    population(MESSAGES)
    queued = enqueue_audience(
        Contact.objects.all(),
        origin_type="test",
        origin_id=1,
        purpose="service",
        consent_purpose="",
        template_version_id=template_version(),
    )
    assert queued == MESSAGES
    points = sorted(random.Random(SEED).sample(range(1, MESSAGES), KILLS))
    handler = RecordingHandler()
    in_flight: Counter[str] = Counter()  # public id -> how many kills caught it in flight
    started = time.monotonic()
    with smtp_server(handler) as controller:
        url = f"smtp://127.0.0.1:{controller.port}?starttls=off"
        for point in points:
            worker = spawn(url)
            # Each kill lands at its point, or at least one message after the restart.
            target = max(point, len(handler.seen) + 1)
            deadline = time.monotonic() + 120
            while len(handler.seen) < target and time.monotonic() < deadline:
                time.sleep(0.002)
            kill(worker)
            caught = OutboxMessage.objects.filter(status=Status.SENDING)
            in_flight.update(str(p) for p in caught.values_list("public_id", flat=True))
            # The dead worker's lease runs out (as it would five minutes later); what it held is
            # due again at once instead of five minutes on, so the battery need not wait.
            lease_over = timezone.now() + LEASE + dt.timedelta(seconds=1)
            expire_leases(now=lease_over)
            OutboxMessage.objects.filter(status=Status.QUEUED, not_before=lease_over).update(
                not_before=timezone.now()
            )
        last = spawn(url)
        deadline = time.monotonic() + 600
        while unsent() and time.monotonic() < deadline:
            time.sleep(0.2)
        kill(last, signal.SIGTERM)
    elapsed = time.monotonic() - started

    assert unsent() == 0
    ids = dict(OutboxMessage.objects.values_list("to_address", "public_id"))
    copies: dict[str, list[str]] = defaultdict(list)
    for rcpt, mid in handler.seen:
        copies[rcpt].append(mid)
    lost = [a for a in ids if a not in copies]
    repeated = {a: len(m) - 1 for a, m in copies.items() if len(m) > 1}
    not_in_flight = [a for a, n in repeated.items() if n > in_flight[str(ids[a])]]
    other_id = [a for a, m in copies.items() if set(m) != {message_id(ids[a])}]
    print(  # the battery's figures, shown with -s
        f"\nbattery crash: {MESSAGES} messages, {KILLS} kills at {points}; "
        f"{len(handler.seen)} received, {len(lost)} lost, {sum(repeated.values())} repeats, "
        f"{sum(in_flight.values())} in flight at the kills, {len(not_in_flight)} repeats not in "
        f"flight, {len(other_id)} with another Message-ID; {elapsed:.1f}s"
    )
    assert lost == []
    assert not_in_flight == []
    assert other_id == []
