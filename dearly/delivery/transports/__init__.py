"""Email transports: one interface (base.EmailTransport), SMTP and django-anymail behind it."""

from dearly.delivery.transports.base import (
    EmailTransport,
    email_url,
    get_transport,
    reports_deliveries,
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
