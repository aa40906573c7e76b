import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from dearly.conversions.models import ContactEvent
from dearly.conversions.services import EventIdReused, record_event
from dearly.conversions.tests.helpers import ACTOR, NOW, contact, purchase
from dearly.conversions.validation import ConversionError
from dearly.core.signals import contact_event
from dearly.touches.models import Touch

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every contact event sent while the test runs, as (name, contact_id, properties)."""
    events: list[tuple[str, int, dict]] = []

    def receiver(sender, *, contact_id, name, occurred_at, properties, **kw):
        events.append((name, contact_id, properties))

    contact_event.connect(receiver, weak=False)
    yield events
    contact_event.disconnect(receiver)


def test_the_same_event_id_twice_records_one_event_and_one_purchase_touch():
    ada = contact("customer")
    first, created = purchase(ada, value="12.50")
    again, created_again = purchase(ada, value="12.5")  # the same amount, written differently
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and ContactEvent.objects.count() == 1
    assert Touch.objects.filter(kind="purchase").count() == 1
    assert (first.value, first.currency) == (Decimal("12.50"), "GBP")


def test_a_retry_without_a_time_matches_even_a_minute_later():
    ada = contact("customer")
    with time_machine.travel(NOW, tick=False):
        first, _ = purchase(ada)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        again, created = purchase(ada)
    assert (again.pk, created, again.occurred_at) == (first.pk, False, NOW)


@pytest.mark.parametrize(
    "change",
    [{"value": "21.00"}, {"currency": "EUR"}, {"properties": {"sku": "x"}}],
)
def test_the_same_event_id_with_other_details_is_refused_naming_it(change):
    ada = contact("customer")
    purchase(ada)
    with pytest.raises(EventIdReused, match="order-1") as refused:
        purchase(ada, **change)
    assert refused.value.field == "event_id"
    assert ContactEvent.objects.count() == 1


def test_the_same_event_id_for_another_contact_is_refused():
    purchase(contact("customer"))
    with pytest.raises(EventIdReused):
        purchase(contact("customer", email="grace@example.com"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "Purchase"}, "name"),
        ({"name": "buy now!"}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"event_id": "  "}, "event_id"),
        ({"value": "-1"}, "value"),
        ({"value": "1.234"}, "value"),
        ({"value": "10", "currency": ""}, "currency"),
        ({"value": "10", "currency": "gbp"}, "currency"),
        ({"value": "10", "currency": "POUND"}, "currency"),
        ({"value": None, "currency": "GBP"}, "currency"),
        ({"occurred_at": NOW + dt.timedelta(hours=1)}, "occurred_at"),
        ({"properties": ["not", "an", "object"]}, "properties"),
        ({"properties": {"notes": "x" * 9000}}, "properties"),
    ],
)
def test_bad_input_is_refused_naming_the_field(change, field):
    ada = contact("customer")
    details = {"name": "purchase", "event_id": "e-1", "value": "5.00", "currency": "GBP"}
    with time_machine.travel(NOW, tick=False), pytest.raises(ConversionError) as refused:
        record_event(contact=ada, actor=ACTOR, **{**details, **change})
    assert refused.value.field == field
    assert not ContactEvent.objects.exists()


def test_a_named_event_without_a_value_is_fine_and_logs_no_touch():
    ada = contact("customer")
    event, created = record_event(
        contact=ada, name="order_delayed", event_id="d-1", properties={"days": 3}, actor=ACTOR
    )
    assert created and (event.value, event.currency) == (None, "")
    assert not Touch.objects.filter(contact=ada).exclude(kind="message").exists()


def test_every_event_is_told_to_listeners_with_its_properties(heard):
    ada = contact("customer")
    purchase(ada, value="9.99", properties={"sku": "tea-1"})
    record_event(contact=ada, name="order_delayed", event_id="d-1", actor=ACTOR)
    events = [(name, props) for name, cid, props in heard if name.startswith("event.")]
    assert events == [
        (
            "event.purchase",
            {"sku": "tea-1", "value": "9.99", "currency": "GBP", "event_id": "order-1"},
        ),
        ("event.order_delayed", {"value": None, "currency": "", "event_id": "d-1"}),
    ]
    assert {cid for name, cid, _ in heard if name.startswith("event.")} == {ada.pk}


def test_a_replay_is_not_told_to_listeners_again(heard):
    ada = contact("customer")
    purchase(ada)
    purchase(ada)
    assert [name for name, _, _ in heard].count("event.purchase") == 1
