"""Each event a subscriber can choose is queued by the change it reports, and only for those
who chose it."""

from decimal import Decimal

import orjson
import pytest
from django.utils import timezone

from dearly.conftest import make_contact
from dearly.contacts.privacy import erase_contact
from dearly.contacts.services import Evidence, record_consent, set_tags, update_contact
from dearly.conversions.services import record_event as record_conversion
from dearly.delivery.claim import Result, claim_batch, record
from dearly.delivery.models import Outcome
from dearly.delivery.tests.helpers import consenting, queue
from dearly.hooks.models import Delivery
from dearly.hooks.tests.helpers import ACTOR, subscribe
from dearly.preferences.unsubscribe import unsubscribe_from_email
from dearly.touches.services import log_touch
from dearly.tracking.services import record_event, sent_message

pytestmark = pytest.mark.django_db
NOWHERE = "http://127.0.0.1:9/hooks"


def bodies(event_type: str) -> list[dict]:
    rows = Delivery.objects.filter(event_type=event_type).order_by("id")
    return [orjson.loads(d.body) for d in rows]


def test_nothing_is_queued_when_nobody_listens():
    contact = make_contact(email="ada@example.com")
    update_contact(actor=ACTOR, contact=contact, values={"first_name": "Augusta"})
    assert not Delivery.objects.exists()


def test_only_the_chosen_events_are_queued_for_each_subscriber():
    subscribe(NOWHERE, ["contact.created"], name="CRM")
    subscribe(NOWHERE, ["contact.updated"], name="Shop")
    contact = make_contact(email="ada@example.com")
    set_tags(actor=ACTOR, contact=contact, names=["vip"])
    queued = dict(Delivery.objects.values_list("subscription__name", "event_type"))
    assert queued == {"CRM": "contact.created", "Shop": "contact.updated"}
    [tags] = bodies("contact.updated")
    assert tags["data"]["change"] == "tags_changed"
    assert tags["data"]["new"] == {"tags": ["vip"]}
    assert tags["data"]["contact"]["id"] == str(contact.public_id)


def test_erasure_is_told_with_the_id_only_and_redacts_what_was_queued_about_them():
    subscribe(NOWHERE, ["contact.created", "contact.erased"])
    contact = make_contact(email="ada@example.com")
    make_contact(email="bob@example.com")
    erase_contact(actor=ACTOR, contact=contact)
    [body] = bodies("contact.erased")
    assert body["data"] == {"contact": {"id": str(contact.public_id)}}
    created = bodies("contact.created")
    assert created[0]["data"] == {"redacted": "erased"}
    assert created[1]["data"]["contact"]["email"] == "bob@example.com"
    assert not Delivery.objects.filter(body__contains="ada@example.com").exists()


def test_a_consent_change_names_channel_purpose_and_action():
    subscribe(NOWHERE, ["consent.changed"])
    contact = make_contact(email="ada@example.com")
    record_consent(
        actor=ACTOR,
        contact=contact,
        channel="email",
        purpose="newsletter",
        action="grant",
        evidence=Evidence(method="web_form"),
    )
    [body] = bodies("consent.changed")
    consent = body["data"]["consent"]
    assert (consent["channel"], consent["purpose"], consent["action"]) == (
        "email",
        "newsletter",
        "grant",
    )


def test_a_sent_batch_queues_one_event_per_message():
    subscribe(NOWHERE, ["message.sent"])
    messages = [queue(consenting(f"c{i}@example.com"), purpose="service") for i in range(3)]
    now = timezone.now()
    claimed = claim_batch(size=10, now=now)
    record([Result(c, Outcome.SENT) for c in claimed], started=now, now=now, worker="t")
    sent_ids = {b["data"]["message"]["id"] for b in bodies("message.sent")}
    assert sent_ids == {str(m.public_id) for m in messages}


def test_a_bounce_and_a_reply_are_told_once_each():
    subscribe(NOWHERE, ["message.bounced", "message.replied"])
    message = queue(consenting("ada@example.com"), purpose="service")
    sent = sent_message(pk=message.pk)
    assert sent is not None
    for _ in range(2):  # the provider delivers its webhook twice
        record_event(
            sent,
            kind="bounced",
            occurred_at=timezone.now(),
            provider="mailgun",
            event_key="mailgun:1",
            detail={"severity": "hard"},
        )
    record_event(
        sent, kind="replied", occurred_at=timezone.now(), provider="dearly", event_key="r1"
    )
    [bounce] = bodies("message.bounced")
    assert bounce["data"]["detail"] == {"severity": "hard"}
    assert bounce["data"]["message"]["id"] == str(message.public_id)
    assert len(bodies("message.replied")) == 1


def test_an_unsubscribe_from_a_message_is_told_once():
    subscribe(NOWHERE, ["contact.unsubscribed"])
    contact = consenting("ada@example.com")
    message = queue(contact, purpose="service")
    for _ in range(2):
        unsubscribe_from_email(
            actor=ACTOR, contact=contact, message_public_id=message.public_id, via="one-click"
        )
    [body] = bodies("contact.unsubscribed")
    assert body["data"]["contact"]["email"] == "ada@example.com"


def test_a_purchase_carries_its_value_as_text():
    subscribe(NOWHERE, ["purchase.recorded", "touch.logged"])
    contact = make_contact(email="ada@example.com")
    record_conversion(
        contact=contact,
        name="purchase",
        event_id="order-1",
        value=Decimal("12.50"),
        currency="GBP",
        actor=ACTOR,
    )
    [body] = bodies("purchase.recorded")
    assert body["data"]["purchase"]["value"] == "12.50"
    assert body["data"]["purchase"]["event_id"] == "order-1"
    [touch] = bodies("touch.logged")
    assert touch["data"]["touch"]["kind"] == "purchase"


def test_a_logged_call_is_a_touch_event():
    subscribe(NOWHERE, ["touch.logged"])
    contact = make_contact(email="ada@example.com")
    log_touch(contact=contact, kind="call", channel="phone", direction="out", outcome="spoke")
    [body] = bodies("touch.logged")
    assert body["data"]["touch"]["outcome"] == "spoke"
