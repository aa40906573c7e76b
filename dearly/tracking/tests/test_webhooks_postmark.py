"""Postmark webhooks: secured by basic auth only; Postmark reports its own message id."""

import pytest

from dearly.contacts.models import Consent, Suppression
from dearly.contacts.suppression import reasons_for
from dearly.tracking.models import MessageEvent
from dearly.tracking.tests.helpers import (
    BASIC_AUTH,
    attempt_with_provider_id,
    basic_auth,
    post_postmark,
    sent,
)

pytestmark = pytest.mark.django_db
POSTMARK_ID = "883953f4-6105-42a2-a16a-77a8eac79483"


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH}
    settings.EMAIL_URL = "anymail://postmark?server_token=test"


@pytest.fixture
def message():
    message = sent("ada@example.com")
    attempt_with_provider_id(message, POSTMARK_ID)
    return message


def bounce(kind="HardBounce", **more):
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": kind,
        "MessageID": POSTMARK_ID,
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": "ada@example.com",
        "BouncedAt": "2026-11-05T16:33:54.9070259Z",
        "Metadata": {},
        **more,
    }


def test_a_hard_bounce_finds_the_message_by_postmarks_id_and_suppresses(client, message):
    assert post_postmark(client, bounce(), **basic_auth()).status_code == 200
    event = MessageEvent.objects.get()
    assert (event.message_id, event.kind, event.provider) == (message.pk, "bounced", "postmark")
    assert event.detail["severity"] == "hard"
    assert event.provider_event_id == "postmark:4323372036854775807"
    assert reasons_for(kind="email", value="ada@example.com") == {"hard_bounce"}


def test_a_soft_bounce_is_recorded_as_soft_and_suppresses_nothing(client, message):
    post_postmark(client, bounce("SoftBounce", ID=17), **basic_auth())
    assert MessageEvent.objects.get().detail["severity"] == "soft"
    assert not Suppression.objects.exists()


def test_without_basic_auth_nothing_changes(client, message):
    assert post_postmark(client, bounce()).status_code == 400
    assert post_postmark(client, bounce(), **basic_auth("hooks:wrong")).status_code == 400
    assert not MessageEvent.objects.exists()
    assert not Suppression.objects.exists()


def test_an_unsubscribe_withdraws_consent_and_suppresses(client, message):
    change = {
        "RecordType": "SubscriptionChange",
        "MessageID": POSTMARK_ID,
        "Recipient": "ada@example.com",
        "ChangedAt": "2026-11-05T16:40:00Z",
        "SuppressSending": True,
        "SuppressionReason": "ManualSuppression",
        "Metadata": {},
    }
    assert post_postmark(client, change, **basic_auth()).status_code == 200
    assert MessageEvent.objects.get().kind == "unsubscribed"
    assert Consent.objects.get(contact_id=message.contact_id).status == "withdrawn"
    assert "unsubscribed" in reasons_for(kind="email", value="ada@example.com")


def test_an_open_without_an_event_id_is_recorded_once_when_delivered_twice(client, message):
    opened = {
        "RecordType": "Open",
        "MessageID": POSTMARK_ID,
        "Recipient": "ada@example.com",
        "ReceivedAt": "2026-11-05T17:00:00Z",
        "FirstOpen": True,
        "UserAgent": "Mozilla/5.0",
        "Metadata": {},
    }
    post_postmark(client, opened, **basic_auth())
    post_postmark(client, opened, **basic_auth())
    post_postmark(client, {**opened, "ReceivedAt": "2026-11-05T18:00:00Z"}, **basic_auth())
    assert MessageEvent.objects.filter(kind="opened").count() == 2


def test_metadata_with_our_message_id_also_finds_the_message(client):
    message = sent("bob@example.com")
    payload = bounce(MessageID="not-known", Metadata={"dearly_id": str(message.public_id)})
    post_postmark(client, payload, **basic_auth())
    assert MessageEvent.objects.get().message_id == message.pk


def test_without_a_configured_secret_every_webhook_is_refused(client, message, settings):
    from dearly import settings as defaults

    settings.ANYMAIL = defaults.ANYMAIL  # DEARLY_WEBHOOK_SECRET unset: a secret nobody knows
    for guess in ("", ":", "anymail:", "hooks:webhook-secret-for-tests"):
        assert post_postmark(client, bounce(), **basic_auth(guess)).status_code == 400
    assert post_postmark(client, bounce()).status_code == 400
    assert not MessageEvent.objects.exists()
