"""The write path for journeys: create, publish a new version, pause, resume, archive.

A version is never edited: publishing writes a new one and points the journey at it. Contacts
already on their way stay on the version they entered with; new enrolments take the new one.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.text import text_problem
from dearly.journeys.definition import check_definition, trigger_key
from dearly.journeys.models import (
    Enrollment,
    EnrollmentStatus,
    Journey,
    JourneyStatus,
    JourneyVersion,
)


class JourneyError(ValueError):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def check_name(name: str) -> str:
    name = name.strip()[:120]
    if problem := text_problem(name, multiline=False):
        raise JourneyError(f"the name {problem}", field="name")
    if not name:
        raise JourneyError("a journey needs a name", field="name")
    return name


@transaction.atomic
def create_journey(
    *, actor: Actor, name: str, definition: dict[str, Any], active: bool = True
) -> Journey:
    """A journey with its first version; raises DefinitionError naming each bad field."""
    definition = check_definition(definition)
    journey = Journey.objects.create(
        name=check_name(name),
        status=JourneyStatus.ACTIVE if active else JourneyStatus.DRAFT,
        trigger_key=trigger_key(definition),
        created_by_id=actor.user_id,
    )
    version = JourneyVersion.objects.create(
        journey=journey, number=1, definition=definition, created_by_id=actor.user_id
    )
    journey.version = version
    journey.save(update_fields=["version"])
    record_event(
        actor=actor,
        action="journey.created",
        subject=journey,
        new={"name": journey.name, "status": journey.status},
    )
    return journey


@transaction.atomic
def publish_version(
    *, actor: Actor, journey: Journey, definition: dict[str, Any]
) -> JourneyVersion:
    """A new immutable version; enrolments from now on use it."""
    definition = check_definition(definition)
    journey = Journey.objects.select_for_update().get(pk=journey.pk)
    if journey.status == JourneyStatus.ARCHIVED:
        raise JourneyError("an archived journey cannot change", field="status")
    last = journey.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = JourneyVersion.objects.create(
        journey=journey, number=last + 1, definition=definition, created_by_id=actor.user_id
    )
    journey.version = version
    journey.trigger_key = trigger_key(definition)
    journey.save(update_fields=["version", "trigger_key", "updated_at"])
    record_event(
        actor=actor, action="journey.published", subject=journey, new={"version": version.number}
    )
    return version


def _set_status(*, actor: Actor, journey: Journey, status: str, allowed: set[str]) -> Journey:
    journey = Journey.objects.select_for_update().get(pk=journey.pk)
    if journey.status == status:
        return journey
    if journey.status not in allowed:
        raise JourneyError(f"a {journey.status} journey cannot become {status}", field="status")
    old = journey.status
    journey.status = status
    journey.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        action=f"journey.{status}",
        subject=journey,
        old={"status": old},
        new={"status": status},
    )
    return journey


@transaction.atomic
def activate(*, actor: Actor, journey: Journey) -> Journey:
    return _set_status(
        actor=actor, journey=journey, status=JourneyStatus.ACTIVE, allowed={JourneyStatus.DRAFT}
    )


@transaction.atomic
def pause(*, actor: Actor, journey: Journey) -> Journey:
    """A paused journey neither enrols nor steps; its contacts wait where they are."""
    return _set_status(
        actor=actor, journey=journey, status=JourneyStatus.PAUSED, allowed={JourneyStatus.ACTIVE}
    )


@transaction.atomic
def resume(*, actor: Actor, journey: Journey) -> Journey:
    """Contacts continue from where they waited; overdue waits run at the next worker loop."""
    return _set_status(
        actor=actor, journey=journey, status=JourneyStatus.ACTIVE, allowed={JourneyStatus.PAUSED}
    )


@transaction.atomic
def archive(*, actor: Actor, journey: Journey) -> Journey:
    """Stop for good: everyone still in the journey leaves it."""
    journey = _set_status(
        actor=actor,
        journey=journey,
        status=JourneyStatus.ARCHIVED,
        allowed={JourneyStatus.DRAFT, JourneyStatus.ACTIVE, JourneyStatus.PAUSED},
    )
    Enrollment.objects.filter(journey=journey, status=EnrollmentStatus.ACTIVE).update(
        status=EnrollmentStatus.EXITED,
        finished_at=timezone.now(),
        exit_reason="journey archived",
        next_run_at=None,
    )
    return journey
