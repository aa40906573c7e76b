"""Mailgun webhooks with bodies signed exactly as Mailgun signs them."""

from typing import Any

import pytest

from dearly.contacts.models import Consent, ConsentEvent, Suppression
from dearly.contacts.suppression import reasons_for
from dearly.tracking.models import MessageEvent
from dearly.tracking.tests.helpers import (
    BASIC_AUTH,
    MAILGUN_KEY,
    basic_auth,
    mailgun_body,
    mailgun_event,
    post_mailgun,
    sent,
)

pytestmark = pytest.mark.django_db
HARD_BOUNCE = {
    "severity": "permanent",
    "reason": "bounce",
    "delivery-status": {"code": 550, "message": "5.1.1 The email account does not exist"},
}


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    settings.EMAIL_URL = "anymail://mailgun?api_key=key-test"


def nothing_changed():
    return not MessageEvent.objects.exists() and not Suppression.objects.exists()


def test_a_signed_hard_bounce_is_recorded_and_suppresses_the_address(client):
    message = sent("ada@example.com")
    body = mailgun_body(mailgun_event(message, "failed", **HARD_BOUNCE))
    assert post_mailgun(client, body, **basic_auth()).status_code == 200
    event = MessageEvent.objects.get()
    assert (event.message_id, event.kind, event.provider) == (message.pk, "bounced", "mailgun")
    assert event.detail == {"reason": "bounced", "code": "5.1.1", "severity": "hard"}
    assert reasons_for(kind="email", value="ada@example.com") == {"hard_bounce"}


def test_a_temporary_failure_is_a_delay_and_suppresses_nothing(client):
    message = sent()
    event = mailgun_event(message, "failed", severity="temporary", reason="generic")
    post_mailgun(client, mailgun_body(event), **basic_auth())
    assert MessageEvent.objects.get().kind == "deferred"
    assert not Suppression.objects.exists()


def test_a_bad_signature_changes_nothing(client):
    body = mailgun_body(mailgun_event(sent(), "failed", **HARD_BOUNCE), key="not-the-key")
    assert post_mailgun(client, body, **basic_auth()).status_code == 400
    assert nothing_changed()


def test_a_tampered_signature_changes_nothing(client):
    body = mailgun_body(mailgun_event(sent(), "delivered"))
    body = body.replace('"signature": "', '"signature": "0')
    assert post_mailgun(client, body, **basic_auth()).status_code == 400
    assert nothing_changed()


def test_missing_or_wrong_basic_auth_changes_nothing_even_with_a_good_signature(client):
    body = mailgun_body(mailgun_event(sent(), "complained"))
    assert post_mailgun(client, body).status_code == 400
    assert post_mailgun(client, body, **basic_auth("hooks:guess")).status_code == 400
    assert nothing_changed()
    assert not ConsentEvent.objects.filter(action="withdraw").exists()


def test_the_same_webhook_delivered_twice_makes_one_event(client):
    body = mailgun_body(mailgun_event(sent(), "failed", **HARD_BOUNCE))
    post_mailgun(client, body, **basic_auth())
    assert post_mailgun(client, body, **basic_auth()).status_code == 200
    assert MessageEvent.objects.count() == 1
    assert Suppression.objects.count() == 1


def test_a_complaint_withdraws_email_consent_and_suppresses(client):
    message = sent("ada@example.com")
    post_mailgun(client, mailgun_body(mailgun_event(message, "complained")), **basic_auth())
    post_mailgun(client, mailgun_body(mailgun_event(message, "complained")), **basic_auth())
    consent = Consent.objects.get(contact=message.contact, channel="email")
    assert consent.status == "withdrawn"
    withdrawal = ConsentEvent.objects.get(action="withdraw")
    assert (withdrawal.method, withdrawal.source) == ("unsubscribe", "system")
    assert "spam" in withdrawal.note
    assert "complaint" in reasons_for(kind="email", value="ada@example.com")


def test_delivered_opened_and_clicked_are_recorded_without_personal_details(client):
    message = sent()
    steps: list[tuple[str, dict[str, Any]]] = [
        ("delivered", {}),
        ("opened", {"client-info": {"user-agent": "Mail/1.0"}, "ip": "203.0.113.9"}),
        ("clicked", {"url": "https://shop.example/sale", "ip": "203.0.113.9"}),
    ]
    for name, extra in steps:
        body = mailgun_body(mailgun_event(message, name, **extra))
        assert post_mailgun(client, body, **basic_auth()).status_code == 200
    events = MessageEvent.objects.order_by("id").values_list("kind", "detail")
    assert list(events) == [
        ("delivered", {}),
        ("opened", {}),
        ("clicked", {"url": "https://shop.example/sale"}),
    ]
    assert not Suppression.objects.exists()


def test_an_event_for_a_message_we_did_not_send_is_ignored(client):
    event = mailgun_event(sent(), "failed", **HARD_BOUNCE)
    event["message"]["headers"]["message-id"] = "someone-else@mail.example.com"
    assert post_mailgun(client, mailgun_body(event), **basic_auth()).status_code == 200
    assert nothing_changed()
