"""Several workers claiming at once on PostgreSQL: every message once, the budget never broken."""

import threading
from collections import Counter

import pytest
from django.db import connection

from dearly.delivery.claim import claim_batch
from dearly.delivery.models import OutboxMessage
from dearly.delivery.policy import Budget
from dearly.delivery.tests.helpers import consenting, queue
from dearly.delivery.tests.test_claim import TUESDAY

WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_take_each_message_once_and_keep_the_budget(requires_postgres):
    contacts = [consenting(f"c{i}@example.com") for i in range(30)]
    for contact in contacts:
        for _ in range(4):  # four marketing messages each; the budget allows two
            queue(contact, not_before=TUESDAY)
    claimed: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(WORKERS)

    def worker() -> None:
        try:
            barrier.wait()
            while batch := claim_batch(size=7, now=TUESDAY, budget=Budget(2, 7)):
                with lock:
                    claimed.extend(c.id for c in batch)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(claimed) == len(set(claimed)) == 60  # each once; two per contact
    per_contact = Counter(
        OutboxMessage.objects.filter(pk__in=claimed).values_list("contact_id", flat=True)
    )
    assert set(per_contact.values()) == {2}
    assert OutboxMessage.objects.filter(status="queued", defer_reason="budget").count() == 60
