"""The one interface every email transport offers, and the choice of the configured one.

Mail goes to the built-in catcher whenever settings.MAIL_CATCHER is true (`dearly demo` turns it
on for its own process and its children); otherwise to DEARLY_EMAIL_URL.
"""

from collections.abc import Sequence
from typing import Protocol

from django.conf import settings

from dearly.delivery.transports.config import (
    AnymailSettings,
    EmailUrlError,
    parse_email_url,
)
from dearly.delivery.transports.message import Outcome, OutgoingEmail, Receipt

__all__ = [
    "EmailTransport",
    "Outcome",
    "OutgoingEmail",
    "Receipt",
    "email_url",
    "get_transport",
    "reports_deliveries",
]


class EmailTransport(Protocol):
    def send_batch(self, emails: Sequence[OutgoingEmail]) -> list[Receipt]:
        """One receipt per email, in order; never raises for one email's failure."""
        ...

    def close(self) -> None: ...


def email_url() -> str:
    if settings.MAIL_CATCHER:
        return f"smtp://127.0.0.1:{settings.MAIL_CATCHER_PORT}?starttls=off&timeout=10"
    if not settings.EMAIL_URL:
        raise EmailUrlError("set DEARLY_EMAIL_URL (e.g. smtp://user:pass@host:587) to send email")
    return settings.EMAIL_URL


def reports_deliveries() -> bool:
    """Whether the configured transport tells us a message reached the mailbox: a provider
    (anymail) sends delivery events to our webhook; an SMTP server, and the demo's catcher,
    only accept the message, which is what "sent" means."""
    if settings.MAIL_CATCHER or not settings.EMAIL_URL:
        return False
    try:
        return isinstance(parse_email_url(settings.EMAIL_URL), AnymailSettings)
    except EmailUrlError:
        return False


def get_transport() -> EmailTransport:
    config = parse_email_url(email_url(), helo=_helo_name())
    if isinstance(config, AnymailSettings):
        from dearly.delivery.transports.esp import AnymailTransport

        return AnymailTransport(config)
    from dearly.delivery.transports.smtp import SmtpTransport

    return SmtpTransport(config)


def _helo_name() -> str:
    # The sending domain is a better EHLO name than the host's, which is often "localhost".
    domain = settings.FROM_EMAIL.rpartition("@")[2].strip(" >")
    return domain or "localhost"
