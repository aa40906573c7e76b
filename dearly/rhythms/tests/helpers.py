"""Small helpers for the rhythm tests: a template for the pool, consent, a rhythm."""

import datetime as dt
from typing import Any

from dearly.contacts.models import Contact
from dearly.contacts.services import Evidence, record_consent
from dearly.core.actor import Actor
from dearly.messaging.models import EmailTemplate
from dearly.messaging.services import create_template
from dearly.messaging.starter import starter_draft
from dearly.rhythms.models import Rhythm
from dearly.rhythms.services import create_rhythm

ACTOR = Actor.system("tests")
FORMER_PHASES = [{"until_days": 180, "every_days": 30}, {"every_days": 90}]


def make_template(name: str = "Useful tips") -> EmailTemplate:
    return create_template(actor=ACTOR, name=name, draft=starter_draft()).template


def make_rhythm(**kw: Any) -> Rhythm:
    kw.setdefault("name", "Customers fortnightly")
    kw.setdefault("lifecycle_stage", "customer")
    kw.setdefault("phases", [{"every_days": 14}])
    kw.setdefault("action", "message")
    if kw["action"] == "message" and "template_ids" not in kw:
        kw["template_ids"] = [make_template().pk]
    return create_rhythm(actor=ACTOR, **kw)


def consent(contact: Contact, purpose: str = "marketing", channel: str = "email") -> None:
    record_consent(
        actor=ACTOR,
        contact=contact,
        channel=channel,
        purpose=purpose,
        action="grant",
        evidence=Evidence(method="web_form", form_name="tests"),
    )


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)
