import pytest
import time_machine

from dearly.conversions.models import ConversionSettings
from dearly.conversions.tests.helpers import NOW, contact, days_ago, purchase, sent
from dearly.touches.services import log_touch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_message_6_days_before_the_purchase_earns_it():
    ada = contact("customer")
    message = sent(ada, days_ago(6), origin_id=42)
    event, _ = purchase(ada)
    assert (event.touch, event.origin_type, event.origin_id) == (message, "campaign", 42)


def test_a_message_8_days_before_earns_nothing():
    ada = contact("customer")
    sent(ada, days_ago(8))
    event, _ = purchase(ada)
    assert (event.touch, event.origin_type, event.origin_id) == (None, "", None)


def test_the_window_is_counted_back_from_when_the_purchase_happened_not_when_reported():
    ada = contact("customer")
    sent(ada, days_ago(10), origin_id=7)
    event, _ = purchase(ada, occurred_at=days_ago(5))
    assert event.origin_id == 7


def test_a_message_after_the_purchase_earns_nothing():
    ada = contact("customer")
    sent(ada, days_ago(1))
    event, _ = purchase(ada, occurred_at=days_ago(2))
    assert event.touch is None


def test_the_last_message_before_the_purchase_earns_it():
    ada = contact("customer")
    sent(ada, days_ago(5), origin_id=1)
    sent(ada, days_ago(2), origin_type="journey", origin_id=2)
    sent(ada, days_ago(0.5), origin_id=3)  # after the purchase
    event, _ = purchase(ada, occurred_at=days_ago(1))
    assert (event.origin_type, event.origin_id) == ("journey", 2)


def test_their_messages_and_replies_our_calls_and_unanswered_messages_earn_nothing():
    ada = contact("customer")
    sent(ada, days_ago(4), direction="in", channel="social")  # a message from them
    sent(ada, days_ago(3), kind="reply", direction="in")
    log_touch(contact=ada, kind="call", channel="phone", direction="out", occurred_at=days_ago(2))
    sent(ada, days_ago(1), outcome="no_answer")  # not a real touch
    event, _ = purchase(ada)
    assert event.touch is None


def test_another_contacts_message_earns_nothing():
    sent(contact("customer", email="grace@example.com"), days_ago(1))
    event, _ = purchase(contact("customer"))
    assert event.touch is None


def test_the_window_follows_the_setting():
    ConversionSettings.objects.create(pk=1, attribution_days=10)
    ada = contact("customer")
    sent(ada, days_ago(8), origin_id=9)
    event, _ = purchase(ada)
    assert event.origin_id == 9
