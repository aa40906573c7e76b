"""PostgreSQL: many retries of one purchase arriving at once count it once."""

import threading
from collections import Counter

import pytest
from django.db import connection

from dearly.api.tests.conftest import bearer_client
from dearly.api.tests.helpers import post
from dearly.contacts.models import LifecycleChange
from dearly.conversions.models import ContactEvent
from dearly.conversions.tests.helpers import contact
from dearly.core.actor import Actor
from dearly.core.apikeys import create_api_key
from dearly.touches.models import Touch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
CALLERS = 8


def test_simultaneous_retries_of_one_purchase_record_it_once(requires_postgres):
    lead = contact("lead")
    _, raw_key = create_api_key(actor=Actor.system("tests"), name="Shop")
    body = {
        "event_id": "order-1",
        "name": "purchase",
        "contact": {"email": "ada@example.com"},
        "value": "10.00",
        "currency": "GBP",
    }
    start = threading.Barrier(CALLERS)
    answers: list[tuple[int, str]] = []

    def call() -> None:
        try:
            start.wait()
            response = post(bearer_client(raw_key), "/api/v1/events", body)
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(status for status, _ in answers) == {201: 1, 200: CALLERS - 1}
    assert len({event_id for _, event_id in answers}) == 1
    assert ContactEvent.objects.count() == 1
    assert Touch.objects.filter(kind="purchase").count() == 1
    assert LifecycleChange.objects.filter(contact=lead, to_stage="customer").count() == 1
