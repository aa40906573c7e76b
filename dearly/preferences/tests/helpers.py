"""Small helpers for preference tests: subscribed customers, queued mail, signup posts."""

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from dearly.conftest import make_contact
from dearly.contacts.models import ConsentEvent, Contact
from dearly.contacts.services import Evidence, record_consent
from dearly.core.actor import Actor
from dearly.delivery.models import OutboxMessage
from dearly.delivery.outbox import enqueue_one
from dearly.preferences.forms_config import current_form
from dearly.preferences.stamp import form_stamp

ACTOR = Actor.system("tests")
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def subscriber(
    email: str = "ada@example.com", *, purposes: tuple[str, ...] = ("newsletter",), **values: Any
) -> Contact:
    contact = make_contact(email=email, **values)
    for purpose in purposes:
        record_consent(
            actor=ACTOR,
            contact=contact,
            channel="email",
            purpose=purpose,
            action="grant",
            evidence=Evidence(method="web_form", wording="Yes please"),
        )
    return contact


def queue_marketing(contact: Contact, purpose: str = "newsletter") -> OutboxMessage:
    message, _ = enqueue_one(
        contact=contact,
        origin_type="test",
        purpose="promotional",
        consent_purpose=purpose,
        template_version_id=1,
    )
    return message


def ledger(contact: Contact) -> list[ConsentEvent]:
    return list(ConsentEvent.objects.filter(contact=contact).order_by("id"))


def signup_data(email: str = "new@example.com", **fields: str) -> dict[str, str]:
    """What a person posts from the hosted page, filled in at a human pace."""
    served = timezone.now() - dt.timedelta(seconds=20)
    return {
        "email": email,
        "first_name": "Grace",
        "comment": "",
        "stamp": form_stamp(current_form().number, issued_at=served),
        **fields,
    }


def post_signup(client: Client, ip: str = "203.0.113.7", **fields: str) -> Any:
    return client.post("/p/signup/", signup_data(**fields), REMOTE_ADDR=ip)
