"""The reliability battery: 8 workers at once drain 20 overlapping campaigns to the same people
over three weeks, with the contact budget at its default of 2 marketing messages per 7 days.
No one ever gets a third message within any 7 days, and nothing is sent twice.

DEARLY_BATTERY_CONTACTS sets the audience (40 by default: 800 messages queued).
"""

import datetime as dt
import os
import threading
from collections import Counter, defaultdict

import pytest
import time_machine
from django.db import connection

from dearly.contacts.models import Contact
from dearly.delivery.compose import compose
from dearly.delivery.models import OutboxMessage, Status
from dearly.delivery.outbox import enqueue_audience
from dearly.delivery.tests.helpers import consenting
from dearly.delivery.tests.test_end_to_end import server, template_version  # noqa: F401
from dearly.delivery.transports.base import get_transport
from dearly.delivery.worker import Worker

QUEUED = OutboxMessage.objects.filter(status=Status.QUEUED)

pytestmark = [pytest.mark.battery, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONTACTS = int(os.environ.get("DEARLY_BATTERY_CONTACTS", "40"))
WORKERS = 8
CAMPAIGNS = 20
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
STEP = dt.timedelta(hours=12)
WEEK = dt.timedelta(days=7)


def run_workers(now: dt.datetime) -> None:
    barrier = threading.Barrier(WORKERS)

    def work(n: int) -> None:
        due = QUEUED.all()
        try:
            worker = Worker(compose=compose, transport=get_transport, name=f"w{n}", batch_size=25)
            barrier.wait()
            # A batch may hold or defer everything it claimed; go on while any is due.
            while due.filter(not_before__lte=now).exists():
                worker.run_once(now=now)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def breaches(sent: list[dt.datetime]) -> int:
    """How many times a third message came within 7 days of the one two before it."""
    sent = sorted(sent)
    return sum(1 for a, c in zip(sent, sent[2:], strict=False) if c - a < WEEK)


def test_eight_workers_and_twenty_overlapping_campaigns_never_break_the_budget(
    requires_postgres,
    server,  # noqa: F811
    settings,
):
    settings.SEND_WINDOWS = False  # the budget alone decides here
    for i in range(CONTACTS):
        consenting(f"c{i}@example.com")
    version = template_version()
    for k in range(CAMPAIGNS):  # a new campaign every 12 hours, each to everyone
        enqueue_audience(
            Contact.objects.all(),
            origin_type="campaign",
            origin_id=k + 1,
            purpose="promotional",
            consent_purpose="newsletter",
            template_version_id=version,
            not_before=START + k * STEP,
        )
    steps = 0
    now = START
    while now < START + dt.timedelta(days=21):
        with time_machine.travel(now, tick=False):
            run_workers(now)
        now += STEP
        steps += 1

    sent_at: dict[int, list[dt.datetime]] = defaultdict(list)
    for contact_id, at in OutboxMessage.objects.filter(status=Status.SENT).values_list(
        "contact_id", "sent_at"
    ):
        assert at is not None
        sent_at[contact_id].append(at)
    found = sum(breaches(times) for times in sent_at.values())
    received = Counter(rcpt for r in server.received for rcpt in r.rcpt_tos)
    total = sum(len(t) for t in sent_at.values())
    print(
        f"\nbattery budget: {CONTACTS} contacts x {CAMPAIGNS} campaigns, {WORKERS} workers, "
        f"{steps} half-day steps; {total} sent, {found} breaches, "
        f"{sum(received.values()) - total} sent twice"
    )
    assert found == 0
    assert sum(received.values()) == total  # every send recorded, none repeated
    assert all(len(times) >= 5 for times in sent_at.values())  # the budget was used, not idle
