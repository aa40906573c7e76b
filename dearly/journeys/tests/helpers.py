"""Small helpers for journey tests: a sendable template and a journey from a few steps."""

from typing import Any

from dearly.core.actor import Actor
from dearly.journeys.models import Journey
from dearly.journeys.services import create_journey
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
) -> Journey:
    definition = {
        "trigger": trigger or {"type": "event", "name": "signup"},
        "reentry": reentry,
        "goal": goal,
        "steps": steps,
    }
    return create_journey(actor=ACTOR, name=name, definition=definition)
