"""PostgreSQL: many retries of one send arriving at once still write one message."""

import threading
from collections import Counter

import pytest
from django.db import connection

from dearly.api.tests.conftest import bearer_client
from dearly.api.tests.helpers import post
from dearly.campaigns.tests.helpers import template
from dearly.conftest import make_contact
from dearly.delivery.models import OutboxMessage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
CALLERS = 8


def test_simultaneous_retries_with_one_key_write_one_message(requires_postgres, raw_key):
    make_contact(email="ada@example.com")
    version = template("<p>Your receipt</p>", name="Receipt")
    body = {"contact": {"email": "ada@example.com"}, "template": str(version.template.public_id)}
    start = threading.Barrier(CALLERS)
    answers: list[tuple[int, str]] = []

    def call() -> None:
        try:
            start.wait()
            response = post(
                bearer_client(raw_key), "/api/v1/messages", body, **{"Idempotency-Key": "o-1"}
            )
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(status for status, _ in answers) == {202: 1, 200: CALLERS - 1}
    assert len({message_id for _, message_id in answers}) == 1
    assert OutboxMessage.objects.count() == 1
