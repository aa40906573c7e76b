"""DEARLY_EMAIL_URL, parsed: which transport, where, and how to talk to it.

    smtp://user:pass@host:587          STARTTLS, required (port 587, or credentials off loopback)
    smtp://host:25                     STARTTLS when the server offers it
    smtps://user:pass@host:465         TLS from the first byte
    anymail://sendgrid?api_key=…       any django-anymail provider; query items go to its backend

SMTP options in the query: timeout (seconds, default 30), starttls (require, auto, off),
helo (the name we give in EHLO), cafile (trust this CA, e.g. a self-signed one), verify=0 (do
not check the certificate: only for a test server). User and password are percent-decoded.
"""

import ipaddress
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

Security = Literal["tls", "starttls", "auto", "off"]


class EmailUrlError(ValueError):
    """The URL cannot be used; the message never contains the password."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    security: Security = "auto"
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0
    helo: str = "localhost"
    cafile: str = ""
    verify: bool = True


@dataclass(frozen=True, slots=True)
class AnymailSettings:
    esp: str
    options: dict[str, str] = field(default_factory=dict, repr=False)


def parse_email_url(url: str, *, helo: str = "localhost") -> SmtpSettings | AnymailSettings:
    parts = urlsplit(url.strip())
    query = dict(parse_qsl(parts.query))
    if parts.scheme == "anymail":
        return _anymail(parts.hostname or "", parts.password, query)
    if parts.scheme not in {"smtp", "smtps"}:
        raise EmailUrlError(
            f"unknown email URL scheme {parts.scheme!r}: use smtp, smtps or anymail"
        )
    if not parts.hostname:
        raise EmailUrlError("the email URL has no host")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        timeout = float(query.get("timeout", "30"))
    except ValueError as error:
        raise EmailUrlError(f"bad port or timeout in the email URL: {error}") from None
    username = unquote(parts.username or "")
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        security=_security(parts.scheme, port, parts.hostname, bool(username), query),
        username=username,
        password=unquote(parts.password or ""),
        timeout=timeout,
        helo=query.get("helo", helo),
        cafile=query.get("cafile", ""),
        verify=query.get("verify", "1") not in {"0", "false", "no"},
    )


def _security(scheme: str, port: int, host: str, auth: bool, query: dict[str, str]) -> Security:
    if scheme == "smtps":
        return "tls"
    choice = query.get("starttls", "")
    if choice in {"require", "auto", "off"}:
        return "starttls" if choice == "require" else choice  # type: ignore[return-value]
    if choice:
        raise EmailUrlError("starttls must be require, auto or off")
    # Never send a password in clear text over the network, nor to a submission port.
    if port == 587 or (auth and not _is_loopback(host)):
        return "starttls"
    return "auto"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _anymail(esp: str, secret: str | None, query: dict[str, str]) -> AnymailSettings:
    if not esp.replace("_", "").isalnum():
        raise EmailUrlError("anymail URLs name the provider as the host: anymail://sendgrid")
    options = dict(query)
    if secret:
        options.setdefault("api_key", unquote(secret))
    return AnymailSettings(esp=esp, options=options)
