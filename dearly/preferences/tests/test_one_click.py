"""RFC 8058 one-click unsubscribe, behaviour by behaviour."""

import pytest
from django.test import Client
from django.utils import timezone

from dearly.contacts.models import ConsentStatus, Suppression
from dearly.contacts.services import Evidence, current_consents, record_consent
from dearly.delivery.claim import claim_batch
from dearly.delivery.models import Status
from dearly.preferences.tests.helpers import (
    ACTOR,
    ONE_CLICK,
    ledger,
    queue_marketing,
    subscriber,
)
from dearly.preferences.tokens import preferences_token, unsubscribe_url

pytestmark = pytest.mark.django_db

INVALID = "This link is not valid any more"


def path(contact, message=None):
    return unsubscribe_url(contact.public_id, message).removeprefix("http://127.0.0.1:8000")


def email_state(contact):
    state = current_consents(contact)
    return {p: state.get(("email", p)) for p in ("marketing", "newsletter", "surveys")}


def test_a_post_unsubscribes_from_every_email_marketing_purpose():
    contact = subscriber(purposes=("newsletter", "marketing"))
    response = Client().post(path(contact), ONE_CLICK)
    assert response.status_code == 200
    assert set(email_state(contact).values()) == {ConsentStatus.WITHDRAWN}
    events = ledger(contact)[-3:]
    assert {(e.method, e.source, e.action) for e in events} == {
        ("unsubscribe", "customer", "withdraw")
    }
    assert Suppression.objects.filter(reason="unsubscribed").count() == 1


def test_a_get_never_unsubscribes_but_offers_a_button_and_the_preference_centre():
    contact = subscriber()
    response = Client().get(path(contact))
    assert response.status_code == 200
    assert email_state(contact)["newsletter"] == ConsentStatus.GRANTED
    body = response.content.decode()
    assert '<form method="post"' in body and "csrfmiddlewaretoken" in body
    assert f"/p/{preferences_token(contact.public_id)}/" in body


def test_the_post_answers_without_a_redirect():
    contact = subscriber()
    response = Client().post(path(contact), ONE_CLICK)
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert len(response.content) < 200


def test_a_second_post_changes_nothing_and_adds_no_ledger_row():
    contact = subscriber()
    client = Client()
    client.post(path(contact), ONE_CLICK)
    before = len(ledger(contact))
    second = client.post(path(contact), ONE_CLICK)
    assert second.status_code == 200
    assert len(ledger(contact)) == before


def test_it_needs_no_login_no_cookie_and_no_csrf_token_and_sets_no_cookie():
    contact = subscriber()
    client = Client(enforce_csrf_checks=True)
    response = client.post(path(contact), ONE_CLICK)
    assert response.status_code == 200
    assert not response.cookies
    assert email_state(contact)["newsletter"] == ConsentStatus.WITHDRAWN


def test_a_post_without_the_one_click_body_does_nothing():
    contact = subscriber()
    response = Client().post(path(contact), {"something": "else"})
    assert response.status_code == 400
    assert email_state(contact)["newsletter"] == ConsentStatus.GRANTED


def test_it_holds_mail_already_queued_at_the_very_next_claim():
    contact = subscriber()
    message = queue_marketing(contact)
    Client().post(path(contact, message.public_id), ONE_CLICK)
    assert claim_batch(size=10, now=timezone.now()) == []
    message.refresh_from_db()
    assert message.status == Status.HELD
    assert message.hold_reason in {"suppressed", "no_consent"}


def test_the_ledger_names_the_message_that_carried_the_link():
    contact = subscriber()
    message = queue_marketing(contact)
    Client().post(path(contact, message.public_id), ONE_CLICK)
    assert str(message.public_id) in ledger(contact)[-1].note


def test_the_unsubscribe_counts_once_on_the_report_of_the_message_that_carried_it():
    from dearly.tracking.queries import summary

    contact = subscriber(purposes=("newsletter", "marketing"))
    message = queue_marketing(contact)
    for _ in range(2):
        Client().post(path(contact, message.public_id), ONE_CLICK)
    assert summary(message.origin_type, message.origin_id)["unsubscribed"] == 1


def test_the_page_button_unsubscribes_through_a_csrf_protected_form():
    contact = subscriber()
    client = Client(enforce_csrf_checks=True)
    page = client.get(path(contact))
    token = page.context["csrf_token"]
    refused = Client(enforce_csrf_checks=True).post(path(contact) + "confirm/")
    assert refused.status_code == 403
    done = client.post(path(contact) + "confirm/", {"csrfmiddlewaretoken": token})
    assert done.status_code == 200
    assert "unsubscribed" in done.content.decode()
    assert email_state(contact)["newsletter"] == ConsentStatus.WITHDRAWN
    assert ledger(contact)[-1].note.startswith("unsubscribe page")


def test_it_leaves_texts_alone():
    contact = subscriber(phone="07911 123456")
    record_consent(
        actor=ACTOR,
        contact=contact,
        channel="sms",
        purpose="marketing",
        action="grant",
        evidence=Evidence(method="in_person"),
    )
    Client().post(path(contact), ONE_CLICK)
    assert current_consents(contact)[("sms", "marketing")] == ConsentStatus.GRANTED


@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_tokens_get_the_same_neutral_page(method):
    contact = subscriber()
    good = path(contact)
    token = good.split("/")[3]
    erased = subscriber("gone@example.com")
    erased_path = path(erased)
    erased.delete()
    bad_paths = [
        f"/p/u/{token[:-4]}/",  # truncated
        f"/p/u/{token[:10]}x{token[11:]}/",  # tampered
        f"/p/u/{preferences_token(contact.public_id)}/",  # another salt
        "/p/u/not-a-token/",
        erased_path,  # a real signature for nobody
    ]
    for bad in bad_paths:
        response = getattr(Client(), method)(bad, ONE_CLICK if method == "post" else None)
        # A person's GET sees the neutral page; a provider's POST also learns it failed.
        assert response.status_code == (200 if method == "get" else 400), bad
        assert INVALID in response.content.decode(), bad
        assert "ada" not in response.content.decode().lower()
    assert email_state(contact)["newsletter"] == ConsentStatus.GRANTED
