"""Signup with double opt-in, and what keeps bots off the form."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dearly.contacts.models import ConsentEvent, ConsentStatus, Contact, Suppression
from dearly.contacts.services import current_consents
from dearly.delivery.claim import claim_batch
from dearly.delivery.compose import compose
from dearly.delivery.models import OutboxMessage
from dearly.delivery.transports.message import OutgoingEmail
from dearly.messaging.context import context_for_contact
from dearly.messaging.models import TemplateVersion
from dearly.messaging.render import render_version
from dearly.preferences.forms_config import current_form
from dearly.preferences.models import PendingSignup
from dearly.preferences.stamp import form_stamp
from dearly.preferences.tests.helpers import ONE_CLICK, post_signup, signup_data, subscriber
from dearly.preferences.throttle import LIMIT
from dearly.preferences.tokens import confirm_url, preferences_url, unsubscribe_url

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def confirm(contact, **meta):
    return Client().get(confirm_url(contact.public_id).removeprefix(BASE), **meta)


def test_the_hosted_page_shows_the_form_with_its_wording_and_a_stamp():
    body = Client().get("/p/signup/").content.decode()
    assert current_form().wording in body
    assert 'name="stamp"' in body and 'name="comment"' in body


def test_a_signup_creates_the_contact_but_records_no_consent_before_the_click():
    response = post_signup(Client(), email="Grace@Example.com")
    assert response.status_code == 302 and response["Location"] == "/p/signup/thanks/"
    contact = Contact.objects.get(email="grace@example.com")
    assert contact.first_name == "Grace"
    assert not ConsentEvent.objects.filter(contact=contact).exists()
    assert current_consents(contact) == {}


def test_a_signup_queues_a_service_confirmation_email_in_the_outbox():
    post_signup(Client())
    contact = Contact.objects.get(email="new@example.com")
    message = OutboxMessage.objects.get(contact=contact)
    assert (message.purpose, message.origin_type, message.status) == ("service", "signup", "queued")
    pending = PendingSignup.objects.get(contact=contact)
    assert message.origin_id == pending.pk
    version = TemplateVersion.objects.get(pk=message.template_version_id)
    assert "{{ links.preferences_url }}confirm/" in version.html_source


def test_the_confirmation_click_grants_consent_with_the_forms_evidence():
    post_signup(Client(), ip="203.0.113.9")
    contact = Contact.objects.get(email="new@example.com")
    response = confirm(contact, REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Mail app")
    assert response.status_code == 200 and "signed up" in response.content.decode()
    form = current_form()
    events = ConsentEvent.objects.filter(contact=contact)
    assert {e.purpose for e in events} == set(form.purposes)
    for event in events:
        assert (event.action, event.method, event.source) == ("grant", "web_form", "customer")
        assert event.form_name == form.form_name
        assert event.wording == form.wording
        assert event.wording_version == "signup-v1"
        assert (event.ip_address, event.user_agent) == ("192.0.2.44", "Mail app")
        assert "203.0.113.9" in event.note
        assert event.occurred_at is not None


def test_a_second_click_confirms_nothing_more():
    post_signup(Client())
    contact = Contact.objects.get(email="new@example.com")
    confirm(contact)
    count = ConsentEvent.objects.filter(contact=contact).count()
    again = confirm(contact)
    assert "already signed up" in again.content.decode()
    assert ConsentEvent.objects.filter(contact=contact).count() == count


def test_a_signup_does_not_change_a_known_persons_details():
    known = subscriber("ada@example.com", first_name="Ada")
    post_signup(Client(), email="ada@example.com", first_name="Mallory")
    known.refresh_from_db()
    assert known.first_name == "Ada"
    assert Contact.objects.filter(email="ada@example.com").count() == 1


def test_an_unsubscribed_person_comes_back_only_through_their_own_confirmation():
    contact = subscriber("ada@example.com")
    Client().post(unsubscribe_url(contact.public_id).removeprefix(BASE), ONE_CLICK)
    assert Suppression.objects.filter(reason="unsubscribed").exists()
    post_signup(Client(), email="ada@example.com")
    assert current_consents(contact)[("email", "newsletter")] == ConsentStatus.WITHDRAWN
    confirm(contact)
    assert current_consents(contact)[("email", "newsletter")] == ConsentStatus.GRANTED
    assert not Suppression.objects.filter(reason="unsubscribed").exists()


def test_a_filled_honeypot_looks_like_success_but_keeps_nothing():
    response = post_signup(Client(), comment="Buy cheap watches")
    assert response.status_code == 302 and response["Location"] == "/p/signup/thanks/"
    assert not Contact.objects.exists() and not OutboxMessage.objects.exists()


def test_a_form_sent_back_faster_than_a_person_types_is_shown_again():
    data = signup_data(stamp=form_stamp(current_form().number))  # stamped just now
    response = Client().post("/p/signup/", data)
    assert response.status_code == 200
    assert "press Sign up again" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_forged_stamp_creates_nothing():
    response = Client().post("/p/signup/", signup_data(stamp="1.forged"))
    assert response.status_code == 200
    assert not Contact.objects.exists()


def test_a_stale_page_is_stamped_afresh_before_it_counts():
    old = timezone.now() - dt.timedelta(days=3)
    data = signup_data(stamp=form_stamp(current_form().number, issued_at=old))
    response = Client().post("/p/signup/", data)
    assert "open for a long time" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_post_from_the_embedded_snippet_asks_for_one_more_press_on_the_hosted_page():
    data = signup_data(stamp=form_stamp(current_form().number, embedded=True))
    response = Client(enforce_csrf_checks=True).post("/p/signup/", data)
    body = response.content.decode()
    assert response.status_code == 200 and "Nearly there" in body
    assert 'value="new@example.com"' in body
    assert not Contact.objects.exists()


def test_one_address_may_sign_up_only_a_few_times_in_ten_minutes():
    client = Client()
    for n in range(LIMIT):
        assert post_signup(client, email=f"p{n}@example.com").status_code == 302
    refused = post_signup(client, email="one-more@example.com")
    assert refused.status_code == 429
    assert not Contact.objects.filter(email="one-more@example.com").exists()
    assert post_signup(client, ip="198.51.100.1", email="else@example.com").status_code == 302


def test_a_bad_address_is_explained_and_nothing_is_kept():
    response = post_signup(Client(), email="not-an-email")
    assert response.status_code == 200
    assert "not a valid email address" in response.content.decode().lower()
    assert not Contact.objects.exists()


def test_signing_up_twice_in_a_row_sends_one_confirmation():
    client = Client()
    post_signup(client)
    post_signup(client)
    assert OutboxMessage.objects.count() == 1


def test_the_confirmation_email_renders_with_a_working_confirmation_link():
    post_signup(Client(), first_name="")
    contact = Contact.objects.get(email="new@example.com")
    message = OutboxMessage.objects.get(contact=contact)
    version = TemplateVersion.objects.get(pk=message.template_version_id)
    links = {
        "unsubscribe_url": "",
        "preferences_url": preferences_url(contact.public_id),
    }
    rendered = render_version(version, context_for_contact(contact, links=links))
    assert "Hi there," in rendered.html
    assert f'href="{confirm_url(contact.public_id)}"' in rendered.html
    response = Client().get(confirm_url(contact.public_id).removeprefix(BASE))
    assert "signed up" in response.content.decode()


def test_the_worker_composes_the_confirmation_with_its_link_and_no_unsubscribe_headers():
    post_signup(Client())
    contact = Contact.objects.get(email="new@example.com")
    claimed = claim_batch(size=10, now=timezone.now())
    assert len(claimed) == 1
    (email,) = compose(claimed)
    assert isinstance(email, OutgoingEmail)
    assert email.to_addr == "new@example.com"
    assert f'href="{confirm_url(contact.public_id)}"' in email.html
    assert email.headers == ()


def test_the_signup_form_refuses_a_65_character_local_part_on_the_email_field():
    response = post_signup(Client(), email="a" * 65 + "@example.com")
    assert response.status_code == 200
    assert "too long before the @-sign" in response.context["form"].errors["email"][0]
    assert not Contact.objects.exists()
