"""The reliability battery: 1,000 one-click unsubscribes arrive while no worker runs, between a
campaign being queued and the workers coming back. Afterwards none of them is sent anything,
from that campaign or the next; everyone else gets both.

DEARLY_BATTERY_UNSUBSCRIBES sets how many unsubscribe (1,000 by default).
"""

import datetime as dt
import os
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client

from dearly.contacts.models import Contact
from dearly.delivery.compose import compose
from dearly.delivery.models import OutboxMessage, Status
from dearly.delivery.outbox import enqueue_audience
from dearly.delivery.tests.helpers import consenting
from dearly.delivery.tests.test_end_to_end import server, template_version  # noqa: F401
from dearly.delivery.transports.base import get_transport
from dearly.delivery.worker import Worker
from dearly.preferences.tokens import unsubscribe_url

pytestmark = [pytest.mark.battery, pytest.mark.django_db(transaction=True)]
QUEUED = OutboxMessage.objects.filter(status=Status.QUEUED)

UNSUBSCRIBES = int(os.environ.get("DEARLY_BATTERY_UNSUBSCRIBES", "1000"))
STAYING = 50
WORKERS = 2
TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def launch(origin_id: int, version: int) -> int:
    return enqueue_audience(
        Contact.objects.all(),
        origin_type="campaign",
        origin_id=origin_id,
        purpose="promotional",
        consent_purpose="newsletter",
        template_version_id=version,
        not_before=TUESDAY_10,
    )


def drain() -> None:
    def work(n: int) -> None:
        due = QUEUED.all()
        try:
            worker = Worker(compose=compose, transport=get_transport, name=f"w{n}")
            # A batch may hold or defer everything it claimed; go on while any is due.
            while due.filter(not_before__lte=TUESDAY_10).exists():
                worker.run_once(now=TUESDAY_10)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@time_machine.travel(TUESDAY_10, tick=True)
def test_unsubscribes_while_the_workers_are_down_stop_every_later_send(server):  # noqa: F811
    leaving = [consenting(f"leave{i}@example.com") for i in range(UNSUBSCRIBES)]
    staying = [f"stay{i}@example.com" for i in range(STAYING)]
    for address in staying:
        consenting(address)
    version = template_version()
    assert launch(1, version) == UNSUBSCRIBES + STAYING  # queued; no worker runs

    queued = dict(OutboxMessage.objects.values_list("contact_id", "public_id"))
    client = Client()
    for contact in leaving:  # each from the List-Unsubscribe URL of the queued message
        path = unsubscribe_url(contact.public_id, queued[contact.pk]).partition("/p/u/")[2]
        response = client.post(f"/p/u/{path}", {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
    assert launch(2, version) == STAYING  # the next campaign leaves them out already

    drain()  # the workers are back
    received = [rcpt for r in server.received for rcpt in r.rcpt_tos]
    to_leavers = [r for r in received if r.startswith("leave")]
    print(
        f"\nbattery unsubscribe: {UNSUBSCRIBES} unsubscribed while down, {STAYING} stayed; "
        f"{len(received)} sent, {len(to_leavers)} to those who left"
    )
    assert to_leavers == []
    assert sorted(received) == sorted([*staying, *staying])  # both campaigns, once each
    assert not OutboxMessage.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).exists()
