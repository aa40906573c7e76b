"""`dearly worker` sends webhook deliveries: the chore runs in the worker's loop."""

import pytest
from django.core.management import call_command

from dearly.conftest import make_contact
from dearly.hooks.models import Delivery
from dearly.hooks.tests.helpers import subscribe
from dearly.hooks.tests.receiver import receiver


@pytest.mark.django_db(transaction=True)  # the worker closes stale connections between loops
def test_one_worker_pass_delivers_what_was_committed():
    with receiver() as box:
        subscribe(box.url, ["contact.created"])
        make_contact(email="ada@example.com")
        call_command("worker", "--once", "--idle", "0")
    assert len(box.requests) == 1
    assert Delivery.objects.get().status == "delivered"
