"""Deliveries leave after commit, signed, only to allowed addresses, retried with backoff."""

import datetime as dt
import logging

import orjson
import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from dearly.conftest import make_contact
from dearly.contacts.services import update_contact
from dearly.hooks.models import Attempt, Delivery, Subscription
from dearly.hooks.outbox import BACKOFF_CAP, MAX_ATTEMPTS, backoff, claim, record, send
from dearly.hooks.send import post
from dearly.hooks.tests.helpers import ACTOR, run_worker, subscribe
from dearly.hooks.tests.receiver import receiver

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_an_event_reaches_the_receiver_signed_by_the_standard_webhooks_scheme(caplog):
    caplog.set_level(logging.DEBUG)
    with receiver() as box:
        _, secret = subscribe(box.url, ["contact.created"])
        make_contact(email="ada@example.com")
        assert run_worker() == 1
    [request] = box.requests
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= {
        k.lower() for k in request.headers
    }
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "contact.created"
    assert payload["data"]["contact"]["email"] == "ada@example.com"
    assert Delivery.objects.get().status == "delivered"
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(request.body + b" ", request.headers)
    assert "hooks.attempt" in caplog.text
    assert secret not in caplog.text
    assert secret.removeprefix("whsec_") not in caplog.text


def test_a_change_that_rolls_back_leaves_no_delivery_behind():
    subscribe("http://127.0.0.1:9/hooks", ["contact.created"])
    with pytest.raises(RuntimeError), transaction.atomic():
        make_contact(email="ada@example.com")
        assert Delivery.objects.count() == 1  # written with the change, before any sending
        raise RuntimeError("the request failed after the contact was saved")
    assert not Delivery.objects.exists()


def test_a_loopback_receiver_is_refused_without_the_owners_permission():
    with receiver() as box:
        sub, _ = subscribe(box.url, ["contact.created"])
        Subscription.objects.filter(pk=sub.pk).update(allow_private_network=False)
        make_contact(email="ada@example.com")
        run_worker()
    assert box.requests == []
    attempt = Attempt.objects.get()
    assert attempt.status_code is None
    assert "private network" in attempt.error
    assert Delivery.objects.get().status == "pending"


def test_a_redirect_is_not_followed():
    with receiver() as target, receiver(statuses=[302]) as box:
        box.location = target.url
        subscribe(box.url, ["contact.created"])
        make_contact(email="ada@example.com")
        run_worker()
    assert len(box.requests) == 1
    assert target.requests == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 302)
    assert "redirects are not followed" in delivery.last_error


def test_a_failing_receiver_is_retried_with_doubling_backoff_and_the_same_webhook_id():
    with time_machine.travel(START, tick=False) as clock, receiver(statuses=[500, 500]) as box:
        subscribe(box.url, ["contact.created"])
        make_contact(email="ada@example.com")
        run_worker()
        delivery = Delivery.objects.get()
        assert delivery.next_attempt_at == START + dt.timedelta(seconds=30)
        clock.shift(dt.timedelta(seconds=29))
        assert run_worker() == 0
        clock.shift(dt.timedelta(seconds=1))
        assert run_worker() == 1
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == START + dt.timedelta(seconds=30 + 60)
        clock.shift(dt.timedelta(seconds=60))
        assert run_worker() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert [a.status_code for a in Attempt.objects.order_by("id")] == [500, 500, 200]
    assert len({r.headers["webhook-id"] for r in box.requests}) == 1


def test_backoff_doubles_to_a_cap():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == BACKOFF_CAP


def test_it_gives_up_after_the_last_try():
    with time_machine.travel(START, tick=False) as clock, receiver() as box:
        subscribe(box.url, ["contact.created"])
        make_contact(email="ada@example.com")
        Delivery.objects.update(attempts=MAX_ATTEMPTS - 1)
        box.statuses = [503]
        run_worker()
        clock.shift(BACKOFF_CAP * 2)
        assert run_worker() == 0
    assert Delivery.objects.get().status == "failed"


def test_a_delivery_left_in_flight_by_a_dead_worker_is_sent_after_its_lease():
    with time_machine.travel(START, tick=False) as clock, receiver() as box:
        subscribe(box.url, ["contact.created"])
        make_contact(email="ada@example.com")
        assert len(claim(now=START)) == 1  # the worker that claimed it died here
        assert run_worker() == 0
        clock.shift(dt.timedelta(minutes=6))
        assert run_worker() == 1
    assert len(box.requests) == 1
    assert Delivery.objects.get().status == "delivered"


def test_two_workers_never_claim_the_same_delivery():
    subscribe("http://127.0.0.1:9/hooks", ["contact.created"])
    for i in range(3):
        make_contact(email=f"c{i}@example.com")
    later = timezone.now() + dt.timedelta(minutes=1)
    first, second = claim(now=later), claim(now=later)
    assert len(first) == 3
    assert second == []


def test_an_inactive_webhook_keeps_its_events_until_it_is_on_again():
    with receiver() as box:
        sub, _ = subscribe(box.url, ["contact.updated"])
        contact = make_contact(email="ada@example.com")
        update_contact(actor=ACTOR, contact=contact, values={"first_name": "Augusta"})
        Subscription.objects.filter(pk=sub.pk).update(is_active=False)
        assert run_worker() == 0
        Subscription.objects.filter(pk=sub.pk).update(is_active=True)
        assert run_worker() == 1
    body = orjson.loads(box.requests[0].body)
    assert body["data"]["new"] == {"first_name": "Augusta"}


def test_a_receiver_that_does_not_answer_in_time_is_given_up_on_for_this_try():
    with receiver(delay=2.0) as box:
        answer = post(box.url, b"{}", {}, allow_private=True, read_timeout=0.3)
    assert answer.status_code is None
    assert answer.error == "no answer in time"
    assert answer.duration_ms < 1500


def test_a_closed_port_is_a_failed_try_not_a_crash():
    answer = post("http://127.0.0.1:9/hooks", b"{}", {}, allow_private=True)
    assert answer.status_code is None
    assert answer.error.startswith("could not connect")


def test_a_webhook_deleted_while_its_delivery_is_in_flight_keeps_nothing():
    with receiver() as box:
        sub, _ = subscribe(box.url, ["contact.created"])
        make_contact(email="ada@example.com")
        [claimed] = claim(now=timezone.now())
        answer = send(claimed)
        Subscription.objects.filter(pk=sub.pk).delete()
        assert record(claimed, answer, started=timezone.now(), now=timezone.now()) is False
    assert not Attempt.objects.exists()
