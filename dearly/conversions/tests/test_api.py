import datetime as dt

import pytest
import time_machine
from django.test import Client

from dearly.api.tests.helpers import errors_of, post
from dearly.conversions.models import ContactEvent
from dearly.conversions.tests.helpers import NOW, contact, days_ago, sent

pytestmark = pytest.mark.django_db
URL = "/api/v1/events"


@pytest.fixture
def ada():
    return contact("lead", email="ada@example.com", phone="07400 123456")


def body(**changes):
    return {
        "event_id": "order-1001",
        "name": "purchase",
        "contact": {"email": "ada@example.com"},
        "value": "25.00",
        "currency": "GBP",
        **changes,
    }


def test_recording_an_event_needs_an_api_key(ada):
    response = post(Client(), URL, body())
    assert response.status_code == 401
    assert not ContactEvent.objects.exists()


def test_a_purchase_answers_201_credits_the_message_and_makes_a_customer(api, ada):
    with time_machine.travel(NOW, tick=False):
        sent(ada, days_ago(2))
        response = post(api, URL, body(properties={"sku": "tea"}))
    assert response.status_code == 201, response.content
    got = response.json()
    event = ContactEvent.objects.get()
    assert (got["id"], got["event_id"], got["contact_id"]) == (
        str(event.public_id),
        "order-1001",
        str(ada.public_id),
    )
    assert (got["value"], got["currency"], got["properties"]) == ("25.00", "GBP", {"sku": "tea"})
    assert got["attributed_to"]["origin_type"] == "campaign"
    ada.refresh_from_db()
    assert ada.lifecycle_stage == "customer"


def test_the_contact_can_be_named_by_id_email_or_phone(api, ada):
    refs = [{"id": str(ada.public_id)}, {"email": " ADA@example.com"}, {"phone": "+447400123456"}]
    for i, ref in enumerate(refs):
        response = post(api, URL, body(event_id=f"e-{i}", contact=ref))
        assert response.status_code == 201, (ref, response.content)
    assert set(ContactEvent.objects.values_list("contact", flat=True)) == {ada.pk}


def test_a_replay_answers_200_with_the_first_event(api, ada):
    first = post(api, URL, body())
    again = post(api, URL, body(value=25))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert ContactEvent.objects.count() == 1


def test_the_same_event_id_for_another_event_answers_409_naming_it(api, ada):
    post(api, URL, body())
    errors = errors_of(post(api, URL, body(value="30.00")), status=409)
    assert "order-1001" in errors["event_id"]


@pytest.mark.parametrize(
    ("ref", "field"),
    [
        ({"email": "nobody@example.com"}, "contact.email"),
        ({"phone": "+447400123457"}, "contact.phone"),
        ({"id": "6f1c2f6e-2a3b-4c5d-8e9f-0a1b2c3d4e5f"}, "contact.id"),
        ({"email": "not an address"}, "contact.email"),
    ],
)
def test_an_unknown_contact_is_refused_and_not_created(api, ada, ref, field):
    errors = errors_of(post(api, URL, body(contact=ref)))
    assert list(errors) == [field]
    assert not ContactEvent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "Big Purchase"}, "name"),
        ({"currency": "gbp"}, "currency"),
        ({"currency": None}, "currency"),
        ({"value": "-3"}, "value"),
        ({"value": "abc"}, "value"),
        ({"occurred_at": "2099-01-01T00:00:00Z"}, "occurred_at"),
        ({"occurred_at": "2026-01-01T00:00:00"}, "occurred_at"),
        ({"properties": {"x": "y" * 9000}}, "properties"),
        (
            {"contact": {"email": "ada@example.com", "id": None, "phone": "+447400123456"}},
            "contact",
        ),
        ({"event_id": ""}, "event_id"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_input_answers_422_naming_the_field(api, ada, changes, field):
    errors = errors_of(post(api, URL, body(**changes)))
    assert field in errors, errors
    assert not ContactEvent.objects.exists()


def test_a_missing_event_id_is_named(api, ada):
    payload = body()
    del payload["event_id"]
    assert "event_id" in errors_of(post(api, URL, payload))


def test_a_contacts_events_are_listed_newest_first(api, ada):
    for i, when in enumerate([days_ago(3), days_ago(1)]):
        post(api, URL, body(event_id=f"e-{i}", occurred_at=when.isoformat()))
    post(api, URL, body(event_id="d", name="order_delayed", value=None, currency=None))
    response = api.get(URL, {"contact": str(ada.public_id), "name": "purchase"})
    assert response.status_code == 200, response.content
    assert [e["event_id"] for e in response.json()["items"]] == ["e-1", "e-0"]


def test_listing_an_unknown_contacts_events_names_the_contact(api):
    response = api.get(URL, {"contact": "6f1c2f6e-2a3b-4c5d-8e9f-0a1b2c3d4e5f"})
    assert list(errors_of(response)) == ["contact"]


def test_an_event_in_the_future_is_refused_by_the_clock_not_the_calendar(api, ada):
    with time_machine.travel(NOW, tick=False):
        soon = NOW + dt.timedelta(hours=1)
        assert "occurred_at" in errors_of(post(api, URL, body(occurred_at=soon.isoformat())))
