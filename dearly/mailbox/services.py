"""Writes for the mailbox: keeping what the catcher received."""

from email import message_from_bytes, policy
from email.message import EmailMessage

from dearly.mailbox.models import CaughtMail


def catch_mail(*, mail_from: str, rcpt_tos: list[str], raw: bytes) -> CaughtMail:
    headers = _headers(raw)
    return CaughtMail.objects.create(
        mail_from=mail_from[:320],
        rcpt_to=", ".join(rcpt_tos),
        subject=_header(headers, "Subject")[:998],
        message_id=_header(headers, "Message-ID")[:998],
        raw=raw,
        size=len(raw),
    )


def _headers(raw: bytes) -> EmailMessage:
    head = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
    return message_from_bytes(head, policy=policy.default)  # type: ignore[return-value]


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, ""))
    except (ValueError, TypeError, IndexError):  # a malformed header is stored, not refused
        return ""
