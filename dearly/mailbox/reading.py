"""A caught message taken apart for display: its headers, plain text and HTML."""

from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from dearly.mailbox.models import CaughtMail


@dataclass(frozen=True, slots=True)
class Reading:
    headers: list[tuple[str, str]]
    text: str
    html: str

    @property
    def first(self) -> dict[str, str]:
        """The first value of each header, by lower-case name (for the summary)."""
        found: dict[str, str] = {}
        for name, value in self.headers:
            found.setdefault(name.lower(), value)
        return found


def read_mail(mail: CaughtMail) -> Reading:
    message: EmailMessage = message_from_bytes(bytes(mail.raw), policy=policy.default)  # type: ignore[assignment]
    return Reading(
        headers=[(name, _decoded(message, name, value)) for name, value in message.items()],
        text=_part(message, "plain").replace("\r\n", "\n"),
        html=_part(message, "html").replace("\r\n", "\n"),
    )


def _decoded(message: EmailMessage, name: str, value: object) -> str:
    try:
        return str(value)
    except (ValueError, TypeError, IndexError):
        return str(message.get_all(name, [""])[0])


def _part(message: EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    if part is None:
        return ""
    try:
        return str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, ValueError):  # an unknown charset: show what can be read
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
