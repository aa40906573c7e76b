"""The preference centre: topics, frequency, a pause and the customer's own details."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from dearly.contacts.models import ConsentStatus, Contact
from dearly.contacts.services import Evidence, current_consents, record_consent
from dearly.core.models import AuditEvent
from dearly.preferences.centre import add_months
from dearly.preferences.models import ContactPreference
from dearly.preferences.queries import paused_contact_ids
from dearly.preferences.tests.helpers import ACTOR, ledger, subscriber
from dearly.preferences.tokens import preferences_token, unsubscribe_token

pytestmark = pytest.mark.django_db

IP = "198.51.100.4"
AGENT = "Mozilla/5.0 (Phone)"


def centre(contact):
    return f"/p/{preferences_token(contact.public_id)}/"


def test_the_page_shows_each_topic_with_its_current_state_and_no_staff_navigation(owner):
    contact = subscriber(purposes=("newsletter",))
    client = Client()
    client.force_login(owner)  # even a signed-in owner sees the customer's page only
    body = client.get(centre(contact)).content.decode()
    assert 'value="email:newsletter" checked' in body
    assert 'value="email:marketing" >' in body or 'value="email:marketing"  >' in body
    assert "Log out" not in body and "/contacts/" not in body


def test_unticking_a_topic_withdraws_it_with_evidence_in_the_ledger():
    contact = subscriber(purposes=("newsletter", "marketing"))
    response = Client().post(
        centre(contact),
        {"topics": ["email:marketing"], "frequency": "any"},
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=AGENT,
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?saved=topics#topics")
    event = ledger(contact)[-1]
    assert (event.channel, event.purpose, event.action) == ("email", "newsletter", "withdraw")
    assert (event.method, event.source) == ("preferences", "customer")
    assert event.ip_address == "198.51.100.4"
    assert event.user_agent == "Mozilla/5.0 (Phone)"
    assert event.wording == "Email: Newsletter. News and useful information."
    assert event.wording_version == "centre-v1"
    assert event.staff_id is None
    assert current_consents(contact)[("email", "marketing")] == ConsentStatus.GRANTED


def test_ticking_an_email_topic_grants_it_and_saving_unchanged_writes_nothing():
    contact = subscriber(purposes=("newsletter",))
    client = Client()
    client.post(centre(contact), {"topics": ["email:newsletter", "email:surveys"]})
    assert current_consents(contact)[("email", "surveys")] == ConsentStatus.GRANTED
    count = len(ledger(contact))
    client.post(centre(contact), {"topics": ["email:newsletter", "email:surveys"]})
    assert len(ledger(contact)) == count


def test_an_email_link_cannot_switch_on_texts_but_can_switch_them_off():
    contact = subscriber(phone="07911 123456")
    client = Client()
    body = client.get(centre(contact)).content.decode()
    assert "Text messages" in body and "reply START" in body
    client.post(centre(contact), {"topics": ["email:newsletter", "sms:marketing"]})
    assert ("sms", "marketing") not in current_consents(contact)


def test_choosing_a_frequency_is_stored_and_audited():
    contact = subscriber()
    Client().post(centre(contact), {"topics": ["email:newsletter"], "frequency": "monthly"})
    assert ContactPreference.objects.get(contact=contact).frequency == "monthly"
    event = AuditEvent.objects.get(action="preferences.frequency_changed")
    assert event.source == "customer" and event.new == {"frequency": "monthly"}


@time_machine.travel(dt.datetime(2026, 1, 31, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_pause_stores_its_end_date_and_can_be_lifted():
    contact = subscriber()
    client = Client()
    client.post(centre(contact) + "pause/", {"months": "1"})
    pref = ContactPreference.objects.get(contact=contact)
    assert pref.paused_until == dt.datetime(2026, 2, 28, 10, 0, tzinfo=dt.UTC)
    assert paused_contact_ids([contact.pk], now=timezone.now()) == {contact.pk}
    assert "28 February 2026" in client.get(centre(contact)).content.decode()
    client.post(centre(contact) + "pause/", {"months": "resume"})
    assert paused_contact_ids([contact.pk], now=timezone.now()) == set()
    assert AuditEvent.objects.filter(action="preferences.resumed", source="customer").exists()


def test_a_pause_of_another_length_is_refused():
    contact = subscriber()
    Client().post(centre(contact) + "pause/", {"months": "24"})
    assert not ContactPreference.objects.filter(contact=contact).exists()


def test_months_are_added_to_the_same_day_or_the_months_last():
    start = dt.datetime(2025, 8, 31, tzinfo=dt.UTC)
    assert add_months(start, 6) == dt.datetime(2026, 2, 28, tzinfo=dt.UTC)
    assert add_months(start, 3) == dt.datetime(2025, 11, 30, tzinfo=dt.UTC)


def test_correcting_details_goes_through_the_audited_contact_service():
    contact = subscriber(first_name="Ada", last_name="Lovelace")
    details = {
        "first_name": "Augusta",
        "last_name": "King",
        "preferred_name": "Ada",
        "email": "ADA@Example.com",
        "phone": "07911 123456",
    }
    response = Client().post(
        centre(contact) + "details/", details, REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name, contact.phone) == (
        "Augusta",
        "King",
        "+447911123456",
    )
    event = AuditEvent.objects.get(action="contact.updated", contact=contact)
    assert event.source == "customer" and event.actor_id is None
    assert event.new["first_name"] == "Augusta"
    assert "email" not in event.new  # the same address, only typed differently


def test_a_bad_detail_is_shown_beside_its_field_and_nothing_changes():
    contact = subscriber()
    details = {"first_name": "Ada", "last_name": "Lovelace", "email": "not an address"}
    response = Client().post(centre(contact) + "details/", details)
    assert response.status_code == 200
    assert "not a valid email address" in response.content.decode().lower()
    contact.refresh_from_db()
    assert contact.email == "ada@example.com"


def test_an_address_someone_else_has_is_refused_without_saying_so():
    subscriber("taken@example.com")
    contact = subscriber("ada@example.com")
    details = {"first_name": "Ada", "last_name": "Lovelace", "email": "taken@example.com"}
    body = Client().post(centre(contact) + "details/", details).content.decode()
    assert "couldn&#x27;t save this" in body and "another contact" not in body


def test_bad_tokens_get_the_neutral_page_on_every_section():
    contact = subscriber()
    good = preferences_token(contact.public_id)
    for token in (good[:-2], unsubscribe_token(contact.public_id), "x.y"):
        for path in ("", "pause/", "details/", "confirm/"):
            method = "get" if path in ("", "confirm/") else "post"
            response = getattr(Client(), method)(f"/p/{token}/{path}")
            assert response.status_code == 200
            assert "This link is not valid any more" in response.content.decode()


def test_a_topic_granted_elsewhere_is_shown_so_it_can_be_switched_off():
    contact = subscriber(phone="07911 123456")
    record_consent(
        actor=ACTOR,
        contact=contact,
        channel="sms",
        purpose="newsletter",
        action="grant",
        evidence=Evidence(method="in_person"),
    )
    client = Client()
    body = client.get(centre(contact)).content.decode()
    assert 'value="sms:newsletter" checked' in body
    assert 'value="phone:newsletter"' not in body
    client.post(centre(contact), {"topics": ["email:newsletter"]})
    assert current_consents(contact)[("sms", "newsletter")] == ConsentStatus.WITHDRAWN


def test_an_untouched_stored_phone_that_no_longer_validates_never_blocks_the_update():
    contact = subscriber(first_name="Ada", last_name="Lovelace")
    Contact.objects.filter(pk=contact.pk).update(phone="+447700900123")  # an older rule's number
    details = {
        "first_name": "Augusta",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "+447700900123",
    }
    response = Client().post(centre(contact) + "details/", details, follow=True)
    contact.refresh_from_db()
    assert (contact.first_name, contact.phone) == ("Augusta", "+447700900123")
    body = response.content.decode()
    assert "Your details are updated" in body
    assert "We kept your phone as we had it, but it doesn't look right" in body


def test_a_phone_the_customer_typed_wrong_is_still_refused():
    contact = subscriber(first_name="Ada", last_name="Lovelace")
    details = {"first_name": "Augusta", "email": "ada@example.com", "phone": "+4413"}
    response = Client().post(centre(contact) + "details/", details)
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.first_name == "Ada"


def test_the_centre_refuses_an_address_past_the_rfc_5321_limits_on_the_email_field():
    contact = subscriber(first_name="Ada")
    details = {"first_name": "Ada", "email": "a" * 65 + "@example.com"}
    response = Client().post(centre(contact) + "details/", details)
    assert "too long before the @-sign" in response.context["details"].errors["email"][0]
    contact.refresh_from_db()
    assert contact.email == "ada@example.com"


def test_the_same_withdrawal_posted_twice_is_recorded_once():
    contact = subscriber(purposes=("newsletter", "marketing"))
    for _ in range(2):
        Client().post(centre(contact), {"topics": ["email:marketing"]})
    withdrawals = [e for e in ledger(contact) if e.action == "withdraw"]
    assert [(e.channel, e.purpose) for e in withdrawals] == [("email", "newsletter")]
