"""The pipelined SMTP client against a real SMTP server (aiosmtpd) on loopback."""

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from dearly.delivery.transports.config import SmtpSettings, parse_email_url
from dearly.delivery.transports.message import Outcome, OutgoingEmail
from dearly.delivery.transports.mime import build_mime
from dearly.delivery.transports.smtp import SmtpConnection, SmtpError
from dearly.delivery.transports.testing import ScriptedHandler, smtp_server


def message(n: int, to: str = "") -> OutgoingEmail:
    return OutgoingEmail(
        message_id=f"<m{n}@shop.example>",
        from_addr="hello@shop.example",
        from_name="The Shop",
        to_addr=to or f"guest{n}@example.com",
        to_name=f"Guest {n}",
        subject=f"Your offer nº{n}",
        text=f"Hello guest {n}\n.a line with a dot\n",
        html=f"<p>Hello guest {n}</p>\n",
    )


def connect(controller: Any, **options: Any) -> SmtpConnection:
    settings = SmtpSettings(host="127.0.0.1", port=controller.port, timeout=5, **options)
    return SmtpConnection(settings)


@pytest.fixture(params=[True, False], ids=["pipelining", "lock-step"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[Any, ScriptedHandler]]:
    handler = ScriptedHandler(pipelining=request.param)
    with smtp_server(handler) as controller:
        yield controller, handler


def arrived(handler: ScriptedHandler, email: OutgoingEmail) -> bytes:
    [got] = [r for r in handler.received if r.rcpt_tos == (email.to_addr,)]
    return got.content


def test_a_batch_arrives_byte_exact_over_one_connection(server: Any) -> None:
    controller, handler = server
    emails = [message(n) for n in range(25)]
    client = connect(controller)
    receipts = client.send(emails)
    assert client.pipelining is handler.pipelining
    assert [r.outcome for r in receipts] == [Outcome.SENT] * 25
    assert [r.message_id for r in receipts] == [e.message_id for e in emails]
    assert [r.provider_id for r in receipts] == [f"Q{n}" for n in range(1, 26)]
    for email in emails:
        sent = build_mime(email)
        got = arrived(handler, email)
        # Only the Date may differ between building here and building at send time.
        assert got.split(b"\r\n", 1)[1] == sent.split(b"\r\n", 1)[1]
    assert {r.mail_from for r in handler.received} == {"hello@shop.example"}
    client.close()


def test_refusals_and_deferrals_affect_only_their_own_message(server: Any) -> None:
    controller, handler = server
    emails = [
        message(1),
        message(2, "refuse-me@example.com"),
        message(3),
        message(4, "defer-me@example.com"),
        message(5, "refuse-too@example.com"),
        message(6),
    ]
    receipts = connect(controller).send(emails)
    assert [r.outcome for r in receipts] == [
        Outcome.SENT,
        Outcome.PERMANENT,
        Outcome.SENT,
        Outcome.TEMPORARY,
        Outcome.PERMANENT,
        Outcome.SENT,
    ]
    assert receipts[1].detail.startswith("550 ")
    assert receipts[3].detail.startswith("451 ")
    assert sorted(r.rcpt_tos[0] for r in handler.received) == [
        "guest1@example.com",
        "guest3@example.com",
        "guest6@example.com",
    ]


def test_a_dropped_connection_defers_the_message_in_flight_and_the_rest_still_go(
    server: Any,
) -> None:
    controller, handler = server
    emails = [message(1), message(2), message(3, "drop-here@example.com"), message(4)]
    receipts = connect(controller).send(emails)
    outcomes = [r.outcome for r in receipts]
    assert handler.dropped == 1
    assert outcomes[2] == Outcome.TEMPORARY
    assert "connection lost" in receipts[2].detail
    assert outcomes[3] == Outcome.SENT, "the client reconnected for the rest"
    assert outcomes[0] == Outcome.SENT
    # Message 2's body was sent just before the drop: it is sent or deferred, never lost.
    assert outcomes[1] in {Outcome.SENT, Outcome.TEMPORARY}
    assert outcomes[1] == Outcome.SENT or "connection lost" in receipts[1].detail
    assert arrived(handler, emails[3])


def test_the_connection_is_reused_across_batches(server: Any) -> None:
    controller, handler = server
    client = connect(controller)
    client.send([message(1)])
    first = client._sock
    client.send([message(2)])
    assert client._sock is first
    assert len(handler.received) == 2


def test_nothing_listening_makes_every_message_temporary() -> None:
    with smtp_server(ScriptedHandler()) as controller:
        port = controller.port
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=2)
    receipts = SmtpConnection(settings).send([message(1), message(2)])
    assert [r.outcome for r in receipts] == [Outcome.TEMPORARY] * 2
    assert "cannot connect" in receipts[0].detail


def test_an_invalid_message_is_permanent_and_the_others_go(server: Any) -> None:
    controller, _ = server
    bad = OutgoingEmail(message_id="<x@y>", from_addr="a@b.example", to_addr="no", subject="x")
    receipts = connect(controller).send([bad, message(2)])
    assert [r.outcome for r in receipts] == [Outcome.PERMANENT, Outcome.SENT]


class Accounts:
    def __init__(self) -> None:
        self.seen: list[tuple[str, bytes]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        assert isinstance(data, LoginPassword)
        self.seen.append((mechanism, data.login))
        ok = data.login == b"shop" and data.password == b"s3cret:p@ss"
        return AuthResult(success=ok, handled=False)


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_it_logs_in_with_plain_or_login(mechanism: str) -> None:
    accounts = Accounts()
    other = {"PLAIN": ["LOGIN"], "LOGIN": ["PLAIN"]}[mechanism]
    options = {"authenticator": accounts, "auth_require_tls": False}
    with smtp_server(ScriptedHandler(), auth_exclude_mechanism=other, **options) as controller:
        url = f"smtp://shop:s3cret%3Ap%40ss@127.0.0.1:{controller.port}?timeout=5"
        settings = parse_email_url(url)
        assert isinstance(settings, SmtpSettings)
        receipts = SmtpConnection(settings).send([message(1)])
    assert receipts[0].outcome == Outcome.SENT
    assert accounts.seen == [(mechanism, b"shop")]


def test_a_wrong_password_defers_without_showing_it(caplog: pytest.LogCaptureFixture) -> None:
    options = {"authenticator": Accounts(), "auth_require_tls": False}
    with smtp_server(ScriptedHandler(), **options) as controller:
        url = f"smtp://shop:wrong-secret@127.0.0.1:{controller.port}?timeout=5"
        settings = parse_email_url(url)
        assert isinstance(settings, SmtpSettings)
        assert "wrong-secret" not in repr(settings)
        client = SmtpConnection(settings)
        with pytest.raises(SmtpError):
            client.open()
        receipts = client.send([message(1)])
    assert receipts[0].outcome == Outcome.TEMPORARY
    assert "535" in receipts[0].detail
    secret_b64 = base64.b64encode(b"\0shop\0wrong-secret").decode()
    for text in [receipts[0].detail, caplog.text]:
        assert "wrong-secret" not in text and secret_b64 not in text
