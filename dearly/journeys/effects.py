"""The steps that change the world, written in the stepper's transaction.

Each write is keyed by the step it belongs to ("journey:<enrollment>:<seq>"), so a step redone
after a crash finds its own outbox row or task instead of making a second one.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from dearly.contacts.services import set_custom_fields, set_tags, update_contact
from dearly.core.actor import Actor
from dearly.delivery.models import OutboxMessage
from dearly.delivery.outbox import enqueue_many
from dearly.journeys import channels
from dearly.journeys.facts import ContactFacts
from dearly.journeys.walk import Result
from dearly.touches.services import create_task

ACTOR = Actor.system("journey")
ORIGIN = "journey"
PRIORITY = 50  # as delivery.outbox.enqueue_one: one person's message before a broadcast


def queue_messages(messages: Sequence[OutboxMessage]) -> None:
    """A stepped batch's messages, keyed per step, so a step redone after a failed walk
    queues its message once."""
    enqueue_many(messages)


def step_key(enrollment_id: int, seq: int) -> str:
    return f"journey:{enrollment_id}:{seq}"


@dataclass
class LiveEffects:
    enrollment_id: int
    journey_id: int
    journey_name: str
    facts: ContactFacts
    latest_versions: dict[int, int]
    # Messages this walk queues, written by the stepper with the batch (queue_messages).
    outbox: list[OutboxMessage] = field(default_factory=list)

    def send(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result:
        contact = self.facts.contact
        purpose = step.get("purpose", "informational")
        consent_purpose = step.get("consent_purpose", "")
        channel = channels.preferred(
            contact, purpose=purpose, consent_purpose=consent_purpose, granted=self.facts.granted
        )
        if channel is None:
            return Result("skipped", "no permitted channel")
        version_id = self.latest_versions.get(step["template_id"])
        if version_id is None:
            return Result("skipped", "the template is archived or has no version")
        self.outbox.append(
            OutboxMessage(
                contact=contact,
                origin_type=ORIGIN,
                origin_id=self.journey_id,
                purpose=purpose,
                consent_purpose=consent_purpose,
                template_version_id=version_id,
                channel=channel,
                not_before=now,
                idempotency_key=step_key(self.enrollment_id, seq),
                priority=PRIORITY,
                value=step.get("value", ""),
            )
        )
        return Result("sent", f"{channel} message queued")

    def task(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result:
        task, _ = create_task(
            contact=self.facts.contact,
            kind=step["kind"],
            title=step["title"],
            due_at=now + dt.timedelta(days=step.get("due_days", 0)),
            origin_type=ORIGIN,
            origin_id=self.journey_id,
            dedupe_key=step_key(self.enrollment_id, seq),
        )
        return Result("task", f"task {task.pk}: {task.title}")

    def tag(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result:
        name = step["tag"].strip()
        tags = self.facts.tags
        adding = step["type"] == "add_tag"
        if adding == (name.lower() in tags):
            return Result("unchanged", f"already {'tagged' if adding else 'untagged'} {name}")
        if adding:
            tags[name.lower()] = name
        else:
            tags.pop(name.lower())
        with transaction.atomic():
            set_tags(actor=ACTOR, contact=self.facts.contact, names=list(tags.values()))
        return Result("tagged" if adding else "untagged", name)

    def set_field(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result:
        contact, name, value = self.facts.contact, step["field"], step["value"]
        if name == "lifecycle_stage":
            self.facts.contact = update_contact(
                actor=ACTOR,
                contact=contact,
                values={"lifecycle_stage": value},
                lifecycle_reason=f"journey: {self.journey_name}"[:200],
            )
        else:
            values = {**(contact.custom_fields or {}), name: value}
            set_custom_fields(actor=ACTOR, contact=contact, values=values)
        return Result("set", f"{name} = {value}")
