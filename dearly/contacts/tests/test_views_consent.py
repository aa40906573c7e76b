import re

import pytest

from dearly.conftest import client_for, make_contact
from dearly.contacts.models import ConsentEvent
from dearly.contacts.services import current_consents
from dearly.contacts.suppression import suppress
from dearly.core.actor import Actor
from dearly.core.models import Source
from dearly.touches.services import log_touch

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def consent_data(**overrides):
    data = {
        "channel": "email",
        "purpose": "newsletter",
        "action": "grant",
        "method": "paper_form",
        "form_name": "Till signup card",
        "wording_version": "2025-01",
        "wording": "Send me the monthly newsletter",
    }
    return {**data, **overrides}


def post(user, contact, **overrides):
    url = f"/contacts/{contact.public_id}/consent"
    return client_for(user).post(url, consent_data(**overrides), headers=HTMX)


def test_a_grant_with_evidence_is_in_the_ledger_and_the_grid(owner):
    contact = make_contact(email="ada@example.com")
    response = post(owner, contact)
    html = response.content.decode()
    assert current_consents(contact) == {("email", "newsletter"): "granted"}
    event = ConsentEvent.objects.get()
    assert (event.method, event.form_name, event.wording_version) == (
        "paper_form",
        "Till signup card",
        "2025-01",
    )
    assert event.staff == owner and event.source == "ui"
    assert "<html" not in html and 'id="consent"' in html
    assert "Send me the monthly newsletter" in html and "✓ Granted" in html


def test_a_grant_without_wording_or_note_is_refused(owner):
    contact = make_contact(email="ada@example.com")
    response = post(owner, contact, wording="", note="")
    assert "what they agreed to" in response.content.decode()
    assert not ConsentEvent.objects.exists()


def test_a_note_is_enough_evidence_for_a_grant(owner):
    contact = make_contact(email="ada@example.com")
    post(owner, contact, wording="", note="Asked at the counter, said yes to the newsletter")
    assert ConsentEvent.objects.count() == 1


def test_a_method_is_always_required(owner):
    contact = make_contact(email="ada@example.com")
    response = post(owner, contact, action="withdraw", method="", wording="")
    assert "method" in response.context["consent_form"].errors
    assert not ConsentEvent.objects.exists()


def test_a_withdrawal_needs_only_the_method(owner):
    contact = make_contact(email="ada@example.com")
    post(owner, contact)
    post(owner, contact, action="withdraw", method="phone_call", wording="")
    assert current_consents(contact) == {("email", "newsletter"): "withdrawn"}


def test_an_error_from_the_ledger_is_shown_and_nothing_is_written(owner):
    contact = make_contact(email="ada@example.com")
    response = post(owner, contact, channel="sms")
    assert "no phone" in response.content.decode()
    assert not ConsentEvent.objects.exists()


def test_a_date_in_the_future_is_refused(owner):
    contact = make_contact(email="ada@example.com")
    response = post(owner, contact, occurred_at="2999-01-01T10:00")
    assert "occurred_at" in response.context["consent_form"].errors


def test_without_htmx_a_recorded_consent_redirects_to_the_contact(owner):
    contact = make_contact(email="ada@example.com")
    url = f"/contacts/{contact.public_id}/consent"
    response = client_for(owner).post(url, consent_data())
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.public_id}/"


def test_the_contact_page_shows_its_history_with_old_and_new_values(owner):
    contact = make_contact(first_name="Ada")
    client_for(owner).post(
        f"/contacts/{contact.public_id}/edit",
        {"first_name": "Adele", "last_name": "Lovelace", "lifecycle_stage": "lead"},
    )
    html = client_for(owner).get(f"/contacts/{contact.public_id}/").content.decode()
    assert (
        'Changed the first name from <del class="old">Ada</del> to <ins class="new">Adele</ins>'
        in html
    )
    assert "Details changed" in html and "Web app" in html


def test_the_contact_history_says_how_consent_was_given_and_how_a_call_went_in_words(owner):
    contact = make_contact(email="ada@example.com")
    post(owner, contact, purpose="marketing", method="in_person")
    log_touch(
        contact=contact,
        kind="call",
        channel="phone",
        direction="out",
        outcome="spoke",
        actor=Actor(source=Source.UI, user=owner, label=owner.username),
    )
    html = client_for(owner).get(f"/contacts/{contact.public_id}/").content.decode()
    history = re.sub(r"<[^>]+>", "", html.split('id="h-history"')[1])
    assert "Consent granted" in history and "Call logged" in history
    assert "Email for marketing: Granted" in history
    assert "Way we were told: Said in person" in history
    assert "Outcome: Spoke with them" in history and "Channel: Phone" in history
    for code in ("in_person", "web_form", "spoke", "email/marketing", "Method:"):
        assert code not in history


def test_a_grant_for_an_address_that_bounced_is_refused_with_the_reason(owner):
    contact = make_contact(email="ada@example.com")
    suppress(kind="email", value="ada@example.com", reason="hard_bounce", source="system")
    response = post(owner, contact)
    assert "bounced permanently" in response.content.decode()
    assert not ConsentEvent.objects.exists()
