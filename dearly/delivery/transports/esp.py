"""EmailTransport through any django-anymail provider (anymail://<esp> in DEARLY_EMAIL_URL).

Providers take one HTTP request per message, so the batch is sent one message at a time and an
error is caught per message. Anymail's errors and statuses map onto the three outcomes:
refused or invalid recipients and unsendable content are permanent; rate limits, outages,
network and authentication errors are temporary (fixing the key lets the message go).
"""

from collections.abc import Sequence
from email.headerregistry import Address

from anymail.exceptions import (
    AnymailError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
    AnymailSerializationError,
    AnymailUnsupportedFeature,
)
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string

from dearly.delivery.transports.config import AnymailSettings
from dearly.delivery.transports.message import Outcome, OutgoingEmail, Receipt
from dearly.delivery.transports.mime import clean_text, normalize_message_id

_PERMANENT_ERRORS = (
    AnymailRecipientsRefused,
    AnymailInvalidAddress,
    AnymailUnsupportedFeature,
    AnymailSerializationError,
)
_RETRYABLE_HTTP = frozenset({401, 403, 408, 409, 425, 429})
_PERMANENT_STATUSES = frozenset({"rejected", "invalid", "bounced"})
_TEMPORARY_STATUSES = frozenset({"failed"})


class AnymailTransport:
    def __init__(self, settings: AnymailSettings, *, backend: str = "") -> None:
        path = backend or f"anymail.backends.{settings.esp}.EmailBackend"
        self.backend = import_string(path)(fail_silently=False, **settings.options)

    def send_batch(self, emails: Sequence[OutgoingEmail]) -> list[Receipt]:
        return [self._send(email) for email in emails]

    def close(self) -> None:
        self.backend.close()

    def _send(self, email: OutgoingEmail) -> Receipt:
        try:
            message = django_message(email)
            self.backend.send_messages([message])
        except AnymailError as error:
            return Receipt(email.message_id, outcome_for_error(error), _first_line(error))
        except ValueError as error:  # an address or header our own checks refuse
            return Receipt(email.message_id, Outcome.PERMANENT, _first_line(error))
        except Exception as error:
            return Receipt(email.message_id, Outcome.TEMPORARY, _first_line(error))
        return receipt_for_status(email, message)


def outcome_for_error(error: AnymailError) -> Outcome:
    if isinstance(error, _PERMANENT_ERRORS):
        return Outcome.PERMANENT
    status = error.status_code
    if status is not None and 400 <= status < 500 and status not in _RETRYABLE_HTTP:
        return Outcome.PERMANENT  # the provider refuses this request as it is
    return Outcome.TEMPORARY


def receipt_for_status(email: OutgoingEmail, message: EmailMultiAlternatives) -> Receipt:
    status = message.anymail_status  # type: ignore[attr-defined]
    statuses = set(status.status or ())
    provider_id = "" if status.message_id is None else str(status.message_id)
    detail = ", ".join(sorted(statuses))
    if statuses & _PERMANENT_STATUSES:
        return Receipt(email.message_id, Outcome.PERMANENT, detail, provider_id)
    if statuses & _TEMPORARY_STATUSES:
        return Receipt(email.message_id, Outcome.TEMPORARY, detail, provider_id)
    return Receipt(email.message_id, Outcome.SENT, detail, provider_id)


def django_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    headers = {"Message-ID": normalize_message_id(email.message_id), **dict(email.headers)}
    message = EmailMultiAlternatives(
        subject=clean_text(email.subject),
        body=email.text or email.html,
        from_email=_mailbox(email.from_name, email.from_addr),
        to=[_mailbox(email.to_name, email.to_addr)],
        reply_to=[email.reply_to] if email.reply_to else [],
        headers=headers,
    )
    if email.text and email.html:
        message.attach_alternative(email.html, "text/html")
    elif email.html:
        message.content_subtype = "html"
    return message


def _mailbox(name: str, addr: str) -> str:
    return str(Address(display_name=clean_text(name), addr_spec=addr))


def _first_line(error: Exception) -> str:
    # Not str(error): anymail's adds the request and response, which may hold addresses.
    text = " ".join(str(arg) for arg in error.args) or type(error).__name__
    status = getattr(error, "status_code", None)
    if status is not None:
        text = f"{text} (HTTP {status})"
    return text.splitlines()[0][:500] if text.strip() else type(error).__name__
