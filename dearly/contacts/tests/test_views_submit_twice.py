"""Forms that record a fact are safe to submit twice: the same post is recorded once."""

import re

import pytest

from dearly.conftest import client_for, make_contact
from dearly.contacts.models import ConsentEvent
from dearly.core.models import AuditEvent
from dearly.touches.models import Touch

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
WITHDRAWAL = {
    "channel": "email",
    "purpose": "newsletter",
    "action": "withdraw",
    "method": "phone_call",
    "note": "Rang to say no more newsletters",
}


def token_in(html, form_action):
    """The one-time token of the form posting to `form_action`, as the browser would send."""
    form = html[html.index(f'action="{form_action}"') :]
    found = re.search(r'name="submission" value="([0-9a-f-]{36})"', form)
    assert found, "the form carries no one-time token"
    return found[1]


def test_a_double_submitted_withdrawal_is_recorded_once(owner):
    contact = make_contact(email="ada@example.com")
    client = client_for(owner)
    url = f"/contacts/{contact.public_id}/consent"
    page = client.get(f"/contacts/{contact.public_id}/").content.decode()
    data = WITHDRAWAL | {"submission": token_in(page, url)}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert ConsentEvent.objects.filter(action="withdraw").count() == 1
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1
    again = client.post(url, data, headers=HTMX).content.decode()
    assert "That was already recorded; it is in the ledger once." in again
    assert ConsentEvent.objects.count() == 1


def test_the_next_decision_gets_a_new_token_and_is_recorded(owner):
    contact = make_contact(email="ada@example.com")
    client = client_for(owner)
    url = f"/contacts/{contact.public_id}/consent"
    page = client.get(f"/contacts/{contact.public_id}/").content.decode()
    answer = client.post(url, WITHDRAWAL | {"submission": token_in(page, url)}, headers=HTMX)
    fresh = token_in(answer.content.decode(), url)
    assert fresh != token_in(page, url)
    client.post(url, WITHDRAWAL | {"submission": fresh, "purpose": "marketing"})
    assert ConsentEvent.objects.count() == 2


def test_a_refused_post_keeps_its_token_free_for_the_corrected_one(owner):
    contact = make_contact(phone="+447911123456")  # no email: a grant by email is refused
    client = client_for(owner)
    url = f"/contacts/{contact.public_id}/consent"
    page = client.get(f"/contacts/{contact.public_id}/").content.decode()
    grant = WITHDRAWAL | {"action": "grant", "submission": token_in(page, url)}
    refused = client.post(url, grant, headers=HTMX).content.decode()
    assert "no email" in refused and not ConsentEvent.objects.exists()
    assert token_in(refused, url) == grant["submission"]  # the form comes back as it was sent
    client.post(url, grant | {"channel": "sms"})
    assert ConsentEvent.objects.get().channel == "sms"


def test_a_double_submitted_call_is_logged_once(north_staff, north):
    contact = make_contact(first_name="Nell", branch=north)
    client = client_for(north_staff)
    url = f"/contacts/{contact.public_id}/touches/log"
    form = client.get(f"/contacts/{contact.public_id}/?log=call").content.decode()
    data = {"kind": "call", "outcome": "spoke", "submission": token_in(form, url)}
    client.post(url, data)
    again = client.post(url, data, headers=HTMX).content.decode()
    assert Touch.objects.count() == 1
    assert "That was already logged; it is in the timeline once." in again
