"""Small helpers for outbox tests: consenting contacts and queued messages."""

from typing import Any

from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.contacts.services import Evidence, record_consent
from dearly.core.actor import Actor
from dearly.delivery.models import OutboxMessage
from dearly.delivery.outbox import enqueue_one

ACTOR = Actor.system("tests")


def consenting(email: str, *, purpose: str = "newsletter", **values: Any) -> Contact:
    contact = make_contact(email=email, time_zone="Europe/London", **values)
    record_consent(
        actor=ACTOR,
        contact=contact,
        channel="email",
        purpose=purpose,
        action="grant",
        evidence=Evidence(method="web_form", wording="Yes please"),
    )
    return contact


def queue(contact: Contact, *, purpose: str = "promotional", **kw: Any) -> OutboxMessage:
    kw.setdefault("consent_purpose", "newsletter")
    message, _ = enqueue_one(
        contact=contact, origin_type="test", purpose=purpose, template_version_id=1, **kw
    )
    return message
