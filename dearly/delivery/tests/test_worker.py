import datetime as dt
from collections.abc import Sequence

import pytest

from dearly.delivery.claim import HELD, Claimed, Result
from dearly.delivery.models import DeliveryAttempt, OutboxMessage
from dearly.delivery.tests.helpers import consenting, queue
from dearly.delivery.transports.message import Outcome, OutgoingEmail, Receipt
from dearly.delivery.worker import Worker

pytestmark = pytest.mark.django_db


class RecordingTransport:
    """Stands in for the SMTP server in loop tests (the SMTP path has its own tests)."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.sent: list[OutgoingEmail] = []
        self.refuse = refuse

    def send_batch(self, emails: Sequence[OutgoingEmail]) -> list[Receipt]:
        self.sent.extend(emails)
        return [
            Receipt(e.message_id, Outcome.PERMANENT if e.to_addr in self.refuse else Outcome.SENT)
            for e in emails
        ]

    def close(self) -> None:
        self.closed = True


def compose(claimed: Sequence[Claimed]) -> list[OutgoingEmail | Result]:
    return [
        Result(c, HELD, "first name")
        if c.to_address.startswith("nameless")
        else OutgoingEmail(f"<{c.public_id}@test>", "shop@example.com", c.to_address, "Hello")
        for c in claimed
    ]


def test_one_pass_sends_what_the_gate_allows_and_records_each_outcome():
    now = dt.datetime.now(dt.UTC).replace(hour=10)
    while now.weekday() not in (1, 2, 3):  # a Tuesday to Thursday, for promotions
        now += dt.timedelta(days=1)
    ok = queue(consenting("ada@example.com"), not_before=now)
    bounced = queue(consenting("gone@example.com"), not_before=now)
    nameless = queue(consenting("nameless@example.com"), not_before=now)
    transport = RecordingTransport(refuse=frozenset({"gone@example.com"}))
    worker = Worker(compose=compose, transport=lambda: transport, name="t1")
    assert worker.run_once(now=now) == 3
    assert [e.to_addr for e in transport.sent] == ["ada@example.com", "gone@example.com"]
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses == {ok.pk: "sent", bounced.pk: "failed", nameless.pk: "held"}
    assert OutboxMessage.objects.get(pk=nameless.pk).hold_detail == "first name"
    assert DeliveryAttempt.objects.count() == 2


@pytest.mark.django_db(transaction=True)  # run() closes stale connections between batches
def test_a_stop_request_ends_the_loop_after_the_batch_in_hand():
    for name in ("ada", "bea", "cy"):
        queue(consenting(f"{name}@example.com"), purpose="service", consent_purpose="")
    transport = RecordingTransport()

    def compose_then_stop(claimed: Sequence[Claimed]) -> list[OutgoingEmail | Result]:
        worker.stopping = True  # as SIGTERM would, while this batch is in hand
        return compose(claimed)

    worker = Worker(compose=compose_then_stop, transport=lambda: transport, batch_size=1)
    worker.run(max_batches=5)
    assert len(transport.sent) == 1  # the batch in hand was sent, and nothing after it
    assert OutboxMessage.objects.filter(status="sent").count() == 1
    assert OutboxMessage.objects.filter(status="queued").count() == 2
