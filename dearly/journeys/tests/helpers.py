"""Small helpers for journey tests: a sendable template and a journey from a few steps."""

from typing import Any

from django.utils import timezone

from dearly.contacts.services import Evidence, record_consent
from dearly.core.actor import Actor
from dearly.core.signals import emit_contact_event
from dearly.journeys.models import Journey
from dearly.journeys.services import create_journey
from dearly.journeys.stepper import step_batch
from dearly.messaging.models import EmailTemplate
from dearly.messaging.services import create_template
from dearly.messaging.starter import starter_draft

ACTOR = Actor.system("tests")


def make_template(name: str = "Hello") -> EmailTemplate:
    return create_template(actor=ACTOR, name=name, draft=starter_draft()).template


def send_step(template: EmailTemplate, step_id: str = "s1", **extra: Any) -> dict[str, Any]:
    return {
        "id": step_id,
        "type": "send",
        "template_id": template.pk,
        "purpose": "informational",
        "consent_purpose": "marketing",
        "value": "useful_information",
        **extra,
    }


def make_journey(
    steps: list[dict[str, Any]],
    *,
    trigger: dict[str, Any] | None = None,
    reentry: Any = "never",
    goal: dict[str, Any] | None = None,
    name: str = "Welcome",
    active: bool = True,
) -> Journey:
    definition = {
        "trigger": trigger or {"type": "event", "name": "signup"},
        "reentry": reentry,
        "goal": goal,
        "steps": steps,
    }
    return create_journey(actor=ACTOR, name=name, definition=definition, active=active)


def grant_marketing(contact: Any, purpose: str = "marketing") -> None:
    record_consent(
        actor=ACTOR,
        contact=contact,
        channel="email",
        purpose=purpose,
        action="grant",
        evidence=Evidence(method="web_form", form_name="Signup"),
    )


def signup(contact: Any, **properties: Any) -> None:
    emit_contact_event(
        contact_id=contact.pk,
        name="event.signup",
        occurred_at=timezone.now(),
        properties=properties,
    )


def step(now: Any) -> int:
    """Run the stepper at `now` until nothing more is due then; returns the steps taken."""
    total = 0
    while True:
        _, ran = step_batch(now=now)
        if not ran:
            return total
        total += ran
