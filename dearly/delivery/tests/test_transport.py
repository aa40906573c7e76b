"""Choosing the transport from settings, parsing DEARLY_EMAIL_URL, and the anymail mapping."""

from typing import Any

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import (
    AnymailAPIError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
    AnymailRequestsAPIError,
)
from anymail.message import AnymailRecipientStatus
from django.core import mail
from django.test import override_settings

from dearly.delivery.transports import Outcome, OutgoingEmail, get_transport
from dearly.delivery.transports.config import (
    AnymailSettings,
    EmailUrlError,
    SmtpSettings,
    parse_email_url,
)
from dearly.delivery.transports.esp import AnymailTransport, outcome_for_error
from dearly.delivery.transports.smtp import SmtpTransport


def email(n: int, to: str = "") -> OutgoingEmail:
    return OutgoingEmail(
        message_id=f"<a{n}@shop.example>",
        from_addr="hello@shop.example",
        from_name="The Shop",
        to_addr=to or f"guest{n}@example.com",
        to_name="Zoë",
        subject="Café news",
        text="Hello\n",
        html="<p>Hello</p>",
        headers=(("List-Unsubscribe", "<https://shop.example/u/1>"),),
    )


def test_an_smtp_url_gives_host_port_credentials_and_options() -> None:
    settings = parse_email_url("smtp://me%40shop.example:p%3Ass@mail.example:587?timeout=7.5")
    assert settings == SmtpSettings(
        host="mail.example",
        port=587,
        security="starttls",
        username="me@shop.example",
        password="p:ss",
        timeout=7.5,
    )
    assert "p:ss" not in repr(settings)


@pytest.mark.parametrize(
    ("url", "security"),
    [
        ("smtps://u:p@mail.example", "tls"),
        ("smtp://mail.example:25", "auto"),
        ("smtp://u:p@mail.example:2525", "starttls"),  # a password never goes in clear
        ("smtp://u:p@127.0.0.1:1025", "auto"),
        ("smtp://mail.example:587", "starttls"),
        ("smtp://mail.example:587?starttls=off", "off"),
    ],
)
def test_tls_is_required_whenever_a_password_would_cross_the_network(
    url: str, security: str
) -> None:
    settings = parse_email_url(url)
    assert isinstance(settings, SmtpSettings)
    assert settings.security == security


@pytest.mark.parametrize("url", ["http://x", "smtp://", "smtp://h:99999", "smtp://h?timeout=x"])
def test_a_bad_url_is_refused_without_echoing_secrets(url: str) -> None:
    with pytest.raises(EmailUrlError):
        parse_email_url(url)


def test_an_anymail_url_names_the_provider_and_passes_options() -> None:
    settings = parse_email_url("anymail://:key-123@sendgrid?ip_pool_name=main")
    assert settings == AnymailSettings(
        esp="sendgrid", options={"ip_pool_name": "main", "api_key": "key-123"}
    )


@override_settings(MAIL_CATCHER=False, EMAIL_URL="smtp://mail.example:25")
def test_get_transport_builds_smtp_from_the_email_url() -> None:
    transport = get_transport()
    assert isinstance(transport, SmtpTransport)
    assert transport.connection.settings.host == "mail.example"


@override_settings(MAIL_CATCHER=True, MAIL_CATCHER_PORT=2626, EMAIL_URL="smtp://mail.example")
def test_with_the_catcher_on_mail_goes_to_it_whatever_the_url() -> None:
    transport = get_transport()
    assert isinstance(transport, SmtpTransport)
    settings = transport.connection.settings
    assert (settings.host, settings.port, settings.security) == ("127.0.0.1", 2626, "off")


@override_settings(MAIL_CATCHER=False, EMAIL_URL="")
def test_no_url_and_no_catcher_says_what_to_set() -> None:
    with pytest.raises(EmailUrlError, match="DEARLY_EMAIL_URL"):
        get_transport()


@override_settings(MAIL_CATCHER=False, EMAIL_URL="anymail://test")
def test_anymail_sends_each_message_with_our_headers_through_the_provider() -> None:
    mail.outbox = []
    transport = get_transport()
    assert isinstance(transport, AnymailTransport)
    receipts = transport.send_batch([email(1), email(2)])
    assert [r.outcome for r in receipts] == [Outcome.SENT, Outcome.SENT]
    assert [r.provider_id for r in receipts] == ["0", "1"]
    sent = mail.outbox[0]
    assert sent.to == ["Zoë <guest1@example.com>"]
    assert sent.extra_headers["Message-ID"] == "<a1@shop.example>"
    assert sent.extra_headers["List-Unsubscribe"] == "<https://shop.example/u/1>"
    assert sent.alternatives[0].content == "<p>Hello</p>"  # type: ignore[union-attr]


class ScriptedProvider(AnymailTestBackend):
    """anymail's own test backend, answering per recipient as a provider would."""

    answers: dict[str, Any] = {
        "rejected@example.com": AnymailRecipientStatus(message_id="r1", status="rejected"),
        "failed@example.com": AnymailRecipientStatus(message_id="f1", status="failed"),
        "refused@example.com": AnymailRecipientStatus(message_id=None, status="invalid"),
        "outage@example.com": AnymailAPIError("provider down", status_code=503),
        "badrequest@example.com": AnymailAPIError("bad request", status_code=400),
        "ratelimit@example.com": AnymailAPIError("slow down", status_code=429),
    }

    def post_to_esp(self, payload: Any, message: Any) -> Any:
        answer = self.answers.get(payload.recipient_emails[0])
        if isinstance(answer, AnymailRecipientStatus):
            message.anymail_test_response = {"recipient_status": {message.to[0]: answer}}
        elif answer is not None:
            message.anymail_test_response = answer
        return super().post_to_esp(payload, message)


def test_provider_answers_map_to_sent_temporary_or_permanent_per_message() -> None:
    mail.outbox = []
    transport = AnymailTransport(
        AnymailSettings(esp="test"), backend=f"{__name__}.ScriptedProvider"
    )
    order = ["ok", "rejected", "failed", "refused", "outage", "badrequest", "ratelimit", "ok2"]
    receipts = transport.send_batch(
        [email(n, f"{name}@example.com") for n, name in enumerate(order)]
    )
    assert [r.outcome for r in receipts] == [
        Outcome.SENT,
        Outcome.PERMANENT,
        Outcome.TEMPORARY,
        Outcome.PERMANENT,
        Outcome.TEMPORARY,
        Outcome.PERMANENT,
        Outcome.TEMPORARY,
        Outcome.SENT,
    ]
    assert "provider down" in receipts[4].detail


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (AnymailRecipientsRefused(), Outcome.PERMANENT),
        (AnymailInvalidAddress("bad"), Outcome.PERMANENT),
        (AnymailAPIError("x", status_code=422), Outcome.PERMANENT),
        (AnymailAPIError("x", status_code=401), Outcome.TEMPORARY),
        (AnymailAPIError("x", status_code=500), Outcome.TEMPORARY),
        (AnymailAPIError("network"), Outcome.TEMPORARY),
        (AnymailRequestsAPIError("x", status_code=429), Outcome.TEMPORARY),
    ],
)
def test_anymail_errors_map_to_outcomes(error: Any, outcome: Outcome) -> None:
    assert outcome_for_error(error) == outcome
