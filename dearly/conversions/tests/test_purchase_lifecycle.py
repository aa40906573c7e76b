import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from dearly.contacts.models import Contact, LifecycleChange
from dearly.conversions.services import record_event
from dearly.conversions.tests.helpers import ACTOR, NOW, contact, days_ago, purchase
from dearly.touches.models import Touch

pytestmark = pytest.mark.django_db


def stage_of(who: Contact) -> tuple[str, dt.datetime | None]:
    who.refresh_from_db()
    return who.lifecycle_stage, who.lifecycle_changed_at


def changes(who: Contact) -> list[tuple[str, str, str]]:
    rows = LifecycleChange.objects.filter(contact=who).order_by("changed_at", "pk")
    return [(r.from_stage, r.to_stage, r.reason) for r in rows]


def test_a_purchase_makes_a_lead_a_customer_and_logs_a_purchase_touch():
    with time_machine.travel(days_ago(3), tick=False):
        lead = contact("lead")
    with time_machine.travel(NOW, tick=False):
        event, _ = purchase(lead, value="35.00", currency="EUR")
    assert stage_of(lead) == ("customer", NOW)
    assert changes(lead)[-1] == ("lead", "customer", "purchase")
    touch = Touch.objects.get(contact=lead, kind="purchase")
    assert (touch.direction, touch.channel, touch.occurred_at) == ("in", "web", NOW)
    assert (touch.value, touch.currency) == (Decimal("35.00"), "EUR")
    assert (touch.origin_type, touch.origin_id) == ("event", event.pk)
    lead.refresh_from_db()
    assert lead.last_touch_at == NOW


def test_a_purchase_wins_back_a_former_customer_and_restarts_their_clock():
    with time_machine.travel(days_ago(400), tick=False):
        former = contact("former")
    with time_machine.travel(NOW, tick=False):
        purchase(former)
    assert stage_of(former) == ("customer", NOW)
    assert changes(former)[-1] == ("former", "customer", "won back by a purchase")


def test_a_customer_stays_a_customer_without_a_new_change():
    with time_machine.travel(days_ago(30), tick=False):
        customer = contact("customer")
    with time_machine.travel(NOW, tick=False):
        purchase(customer)
    assert stage_of(customer) == ("customer", days_ago(30))
    assert len(changes(customer)) == 1  # only its creation


def test_the_channel_comes_from_the_properties_when_it_is_one_we_know():
    ada = contact("customer")
    purchase(ada, event_id="a", properties={"channel": "in_person"})
    purchase(ada, event_id="b", properties={"channel": "pigeon"})
    channels = (
        Touch.objects.filter(kind="purchase").order_by("pk").values_list("channel", flat=True)
    )
    assert list(channels) == ["in_person", "web"]


def test_another_event_changes_no_stage():
    lead = contact("lead")
    record_event(contact=lead, name="signup_completed", event_id="s-1", actor=ACTOR)
    assert stage_of(lead)[0] == "lead"
    assert not Touch.objects.filter(contact=lead, kind="purchase").exists()


def test_a_back_filled_purchase_older_than_the_lapse_period_wins_nobody_back():
    former = contact("former")
    with time_machine.travel(NOW, tick=False):
        purchase(former, occurred_at=days_ago(400))
    assert stage_of(former)[0] == "former"
    assert Touch.objects.filter(contact=former, kind="purchase").exists()
