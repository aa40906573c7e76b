"""Rehearse a journey for one contact with time fast-forwarded, writing nothing.

The same walk the stepper runs, on a clock that jumps from wait to wait: waits are computed
in the contact's zone, conditions read the contact's current data (tags they would gain on
the way count), and sends, tasks and changes are described instead of made.
"""

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from dearly.contacts.models import Contact
from dearly.journeys import channels
from dearly.journeys.enrol import first_step
from dearly.journeys.facts import ContactFacts, load_batch
from dearly.journeys.labels import step_label, template_names
from dearly.journeys.models import EnrollmentStatus, Journey
from dearly.journeys.walk import Result, State, Steps, walk


@dataclass(frozen=True, slots=True)
class RehearsalStep:
    at: dt.datetime
    step_id: str
    label: str
    what: str


@dataclass
class Described:
    facts: ContactFacts
    latest_versions: dict[int, int]
    templates: dict[int, str]

    def send(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result:
        channel = channels.preferred(
            self.facts.contact,
            purpose=step.get("purpose", "informational"),
            consent_purpose=step.get("consent_purpose", ""),
            granted=self.facts.granted,
        )
        if channel is None:
            return Result("skipped", "would skip: no permitted channel")
        if step["template_id"] not in self.latest_versions:
            return Result("skipped", "would skip: the template is archived or has no version")
        name = self.templates.get(step["template_id"], "")
        return Result("sent", f"would send “{name}” by {channel}")

    def task(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result:
        due = now + dt.timedelta(days=step.get("due_days", 0))
        return Result("task", f"would create a {step['kind']} task due {due:%d %b %Y}")

    def tag(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result:
        name = step["tag"].strip()
        if step["type"] == "add_tag":
            self.facts.tags[name.lower()] = name
            return Result("tagged", f"would add the tag {name}")
        self.facts.tags.pop(name.lower(), None)
        return Result("untagged", f"would remove the tag {name}")

    def set_field(self, step: dict[str, Any], seq: int, now: dt.datetime) -> Result:
        contact = self.facts.contact
        if step["field"] == "lifecycle_stage":
            contact.lifecycle_stage = step["value"]
        else:
            contact.custom_fields = {**(contact.custom_fields or {}), step["field"]: step["value"]}
        return Result("set", f"would set {step['field']} to {step['value']}")


def rehearse(
    journey: Journey, contact: Contact, start: dt.datetime, horizon_days: int = 60
) -> list[RehearsalStep]:
    """The path `contact` would take through the journey's current version from `start`."""
    assert journey.version is not None
    definition = journey.version.definition
    steps = Steps(definition)
    templates = template_names([definition])
    sends = {s["template_id"] for s in definition["steps"] if s["type"] == "send"}
    batch = load_batch([contact.pk], sends)
    facts = ContactFacts(
        contact=copy.deepcopy(contact),
        tags=batch.tags.get(contact.pk, {}),
        granted=batch.granted.get(contact.pk, set()),
        journey_id=journey.pk,
        entered_at=start,
    )
    effects = Described(facts, batch.latest_versions, templates)
    state = State(step_id=first_step(definition))
    horizon, at, path = start + dt.timedelta(days=horizon_days), start, []
    while at <= horizon:
        for ran in walk(state, steps, now=at, facts=facts, effects=effects):
            step = steps.by_id[ran.step_id]
            what = describe(ran.outcome, ran.detail, state, facts)
            path.append(RehearsalStep(ran.at, ran.step_id, step_label(step, templates), what))
        if state.status != EnrollmentStatus.ACTIVE or state.next_run_at is None:
            ending = "finishes" if state.status == EnrollmentStatus.DONE else "leaves"
            reason = f": {state.exit_reason}" if state.exit_reason else ""
            path.append(RehearsalStep(at, "", "End", f"{ending} the journey{reason}"))
            break
        at = state.next_run_at
    return path


def describe(outcome: str, detail: str, state: State, facts: ContactFacts) -> str:
    if outcome == "waiting" and state.next_run_at is not None:
        local = state.next_run_at.astimezone(facts.tz)
        return f"waits until {local:%a %d %b %Y %H:%M %Z}"
    if outcome in ("yes", "no"):
        return "condition met" if outcome == "yes" else "condition not met"
    if outcome == "in window":
        return "inside the window: goes straight on"
    return detail
