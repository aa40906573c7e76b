"""STARTTLS and implicit TLS against aiosmtpd with a self-signed certificate made for the test."""

import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult

from dearly.delivery.transports.config import SmtpSettings, parse_email_url
from dearly.delivery.transports.message import Outcome, OutgoingEmail
from dearly.delivery.transports.smtp import SmtpConnection
from dearly.delivery.transports.testing import ScriptedHandler, smtp_server

EMAIL = OutgoingEmail(
    message_id="<tls1@shop.example>",
    from_addr="hello@shop.example",
    to_addr="ada@example.com",
    subject="Over TLS",
    text="Hello\n",
)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", str(key),
            "-out", str(cert), "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def authenticator(*args: Any) -> AuthResult:
    data = args[-1]
    return AuthResult(success=data.password == b"pw", handled=False)


def test_starttls_upgrades_before_logging_in(certificate: tuple[Path, Path]) -> None:
    handler = ScriptedHandler()
    options = {
        "tls_context": server_context(certificate),
        "require_starttls": True,
        "authenticator": authenticator,
        "auth_require_tls": True,
    }
    with smtp_server(handler, **options) as controller:
        url = f"smtp://shop:pw@127.0.0.1:{controller.port}?starttls=require&cafile={certificate[0]}"
        settings = parse_email_url(url)
        assert isinstance(settings, SmtpSettings) and settings.security == "starttls"
        client = SmtpConnection(settings)
        receipts = client.send([EMAIL])
        assert isinstance(client._sock, ssl.SSLSocket)
    assert receipts[0].outcome == Outcome.SENT
    assert len(handler.received) == 1


def test_an_untrusted_certificate_is_refused(certificate: tuple[Path, Path]) -> None:
    handler = ScriptedHandler()
    with smtp_server(handler, tls_context=server_context(certificate)) as controller:
        settings = parse_email_url(f"smtp://127.0.0.1:{controller.port}?starttls=require")
        assert isinstance(settings, SmtpSettings)
        receipts = SmtpConnection(settings).send([EMAIL])
    assert receipts[0].outcome == Outcome.TEMPORARY
    assert "CERTIFICATE_VERIFY_FAILED" in receipts[0].detail
    assert handler.received == []


def test_implicit_tls_speaks_tls_from_the_first_byte(certificate: tuple[Path, Path]) -> None:
    handler = ScriptedHandler()
    with smtp_server(handler, ssl_context=server_context(certificate)) as controller:
        url = f"smtps://127.0.0.1:{controller.port}?cafile={certificate[0]}"
        settings = parse_email_url(url)
        assert isinstance(settings, SmtpSettings) and settings.security == "tls"
        receipts = SmtpConnection(settings).send([EMAIL])
    assert receipts[0].outcome == Outcome.SENT
    assert len(handler.received) == 1
