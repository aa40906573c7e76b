"""Only the provider we send through has webhook URLs; every other answers 404, logging no
traceback, and the configured one still checks its provider's signature."""

import hashlib
import hmac
import json
import logging

import pytest

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
PROVIDERS = [
    "amazon_ses",
    "mailersend",
    "mailgun",
    "postal",
    "brevo",
    "mailtrap",
    "resend",
    "sendinblue",
    "unisender_go",
    "mandrill",
]
MAILERSEND_SECRET = "mailersend-secret-for-tests"


def paths(provider):
    return (
        ["/webhooks/anymail/mandrill/"]
        if provider == "mandrill"
        else [f"/webhooks/anymail/{provider}/tracking/"]
    )


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": BASIC_AUTH,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY,
        "MAILERSEND_SIGNING_SECRET": MAILERSEND_SECRET,
    }


@pytest.mark.parametrize("email_url", ["", "smtp://127.0.0.1:25", "anymail://postmark"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_provider_we_do_not_send_through_answers_404(
    client, settings, caplog, provider, email_url
):
    settings.EMAIL_URL = email_url
    for path in paths(provider):
        with caplog.at_level(logging.WARNING):
            response = client.post(path, "{}", content_type="application/json", **basic_auth())
        assert response.status_code == 404, path
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_inbound_urls_of_other_providers_answer_404_too(client, settings):
    settings.EMAIL_URL = "anymail://mailgun?api_key=key-test"
    assert client.post("/webhooks/anymail/postal/inbound/", **basic_auth()).status_code == 404
    assert client.post("/webhooks/anymail/mailgun/inbound/", **basic_auth()).status_code != 404


def test_the_configured_provider_accepts_its_own_signature(client, settings):
    settings.EMAIL_URL = "anymail://mailgun?api_key=key-test"
    message = sent()
    body = mailgun_body(mailgun_event(message, "delivered"))
    assert post_mailgun(client, body, **basic_auth()).status_code == 200
    assert MessageEvent.objects.filter(message=message, kind="delivered").exists()


def test_the_configured_provider_still_refuses_a_wrong_signature(client, settings):
    settings.EMAIL_URL = "anymail://mailgun?api_key=key-test"
    body = mailgun_body(mailgun_event(sent(), "delivered"), key="not-the-key")
    assert post_mailgun(client, body, **basic_auth()).status_code == 400
    assert not MessageEvent.objects.exists()


def mailersend_post(client, body, secret):
    signature = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return client.post(
        "/webhooks/anymail/mailersend/tracking/",
        body,
        content_type="application/json",
        headers={"Signature": signature},
        **basic_auth(),
    )


def test_mailersend_when_configured_checks_mailersends_signature(client, settings):
    settings.EMAIL_URL = "anymail://mailersend?api_token=test"
    body = json.dumps(
        {
            "type": "activity.delivered",
            "data": {
                "id": "evt-1",
                "type": "delivered",
                "created_at": "2026-12-08T01:00:00.000000Z",
                "email": {"message": {"id": "ms-1"}, "recipient": {"email": "a@example.com"}},
                "morph": None,
            },
        }
    )
    assert mailersend_post(client, body, MAILERSEND_SECRET).status_code == 200
    assert mailersend_post(client, body, "a-wrong-secret").status_code == 400
