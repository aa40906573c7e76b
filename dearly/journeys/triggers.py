"""Contact events start journeys and reach their goals (see core.signals).

Runs inside the sender's transaction: the enrolment is written with the change that caused it.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from dearly.journeys.enrol import enrol
from dearly.journeys.models import Enrollment, EnrollmentStatus, Journey, JourneyStatus

SURVEY_EVENTS = frozenset({"event.survey_answer", "touch.survey"})


def trigger_keys_for(name: str) -> list[str]:
    """The Journey.trigger_key values an event starts: its own name, and "survey" for a
    survey answer (a journey may also name event.survey_answer as a plain event)."""
    return [name, "survey"] if name in SURVEY_EVENTS else [name]


def matches(trigger: dict[str, Any], properties: dict[str, Any]) -> bool:
    kind = trigger["type"]
    if kind == "consent_granted":
        return trigger.get("purpose") in (None, "", properties.get("purpose"))
    if kind == "lifecycle":
        if trigger.get("from") not in (None, "", properties.get("from")):
            return False
        return bool(trigger.get("to") == properties.get("to"))
    if kind == "overdue":
        return trigger.get("rhythm_id") in (None, properties.get("rhythm_id"))
    return True


def occurrence_for(name: str, occurred_at: dt.datetime, properties: dict[str, Any]) -> str:
    event_id = properties.get("event_id")
    if event_id:
        return f"{name}:{event_id}"
    return f"{name}@{occurred_at.isoformat()}"


def on_contact_event(
    sender: Any,
    *,
    contact_id: int,
    name: str,
    occurred_at: dt.datetime,
    properties: dict[str, Any],
    **_: Any,
) -> None:
    now = timezone.now()
    reach_goals(contact_id=contact_id, name=name, now=now)
    journeys = Journey.objects.filter(
        status=JourneyStatus.ACTIVE, trigger_key__in=trigger_keys_for(name)
    ).select_related("version")
    occurrence = occurrence_for(name, occurred_at, properties)
    for journey in journeys:
        if journey.version and matches(journey.version.definition["trigger"], properties):
            enrol(journey=journey, contact_id=contact_id, occurrence=occurrence, now=now)


def reach_goals(*, contact_id: int, name: str, now: dt.datetime) -> int:
    """An "event.<goal>" ends the contact's walks in journeys whose goal it is."""
    if not name.startswith("event."):
        return 0
    goal = name.removeprefix("event.")
    return Enrollment.objects.filter(
        contact_id=contact_id,
        status=EnrollmentStatus.ACTIVE,
        version__definition__goal__event=goal,
    ).update(
        status=EnrollmentStatus.EXITED,
        exit_reason="goal reached",
        finished_at=now,
        next_run_at=None,
        waiting=False,
    )
