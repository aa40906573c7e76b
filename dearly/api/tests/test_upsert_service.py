"""The upsert service itself, beyond what the endpoint tests cover."""

import threading
import time

import pytest
from django.db import connection, transaction

from dearly.api.schemas import ContactFields
from dearly.conftest import make_contact
from dearly.contacts.fields import FIELDS
from dearly.contacts.models import Contact
from dearly.contacts.upsert import upsert_contact
from dearly.core.actor import Actor
from dearly.core.models import Source

API = Actor(source=Source.API, label="api key Shop")


def test_the_api_accepts_exactly_the_contact_fields():
    assert set(ContactFields.model_fields) == set(FIELDS)


def wait_for_a_blocked_query(timeout: float = 10.0) -> None:
    """Until another connection waits on a lock: the racing insert, blocked by ours."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # pg_locks is live; pg_stat_activity would be frozen for this whole transaction.
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the concurrent upsert never reached its insert")


@pytest.mark.django_db(transaction=True)
def test_two_upserts_racing_to_create_one_person_make_one_contact(requires_postgres):
    result: dict[str, tuple[Contact, bool]] = {}

    def second_request() -> None:
        try:
            values = {"email": "ada@example.com", "town": "Leeds"}
            result["value"] = upsert_contact(actor=API, values=values)
        finally:
            connection.close()

    with transaction.atomic():
        make_contact(email="ada@example.com")  # the first request, not yet committed
        thread = threading.Thread(target=second_request)
        thread.start()
        wait_for_a_blocked_query()
    thread.join()
    contact, created = result["value"]
    assert created is False
    assert Contact.objects.get() == contact
    assert contact.town == "Leeds"
