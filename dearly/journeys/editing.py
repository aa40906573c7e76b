"""Saving the journey form: a new name and, when the steps changed, a new version.

An unchanged definition publishes nothing, so saving a form twice does not stack up versions.
Contacts already on their way keep the version they entered with (see services).
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.journeys.definition import check_definition
from dearly.journeys.models import (
    Enrollment,
    EnrollmentStatus,
    Journey,
    JourneyStatus,
    JourneyVersion,
)
from dearly.journeys.services import JourneyError, check_name, publish_version


@dataclass(frozen=True, slots=True)
class Saved:
    journey: Journey
    version: JourneyVersion | None  # None: the steps did not change
    renamed: bool
    staying: int  # contacts in flight on earlier versions


@transaction.atomic
def save_journey(*, actor: Actor, journey: Journey, name: str, definition: dict[str, Any]) -> Saved:
    """Rename and publish in one go; raises DefinitionError or JourneyError, changing nothing."""
    definition = check_definition(definition)
    if journey.status == JourneyStatus.ARCHIVED:
        raise JourneyError("an archived journey cannot change", field="status")
    renamed = rename_journey(actor=actor, journey=journey, name=name)
    current = journey.version.definition if journey.version else None
    version = None
    if definition != current:
        version = publish_version(actor=actor, journey=journey, definition=definition)
        journey.refresh_from_db()
    staying = (
        Enrollment.objects.filter(journey=journey, status=EnrollmentStatus.ACTIVE)
        .exclude(version=journey.version_id)
        .count()
    )
    return Saved(journey, version, renamed, staying)


def rename_journey(*, actor: Actor, journey: Journey, name: str) -> bool:
    name = check_name(name)
    if name == journey.name:
        return False
    old, journey.name = journey.name, name
    journey.save(update_fields=["name", "updated_at"])
    record_event(
        actor=actor,
        action="journey.renamed",
        subject=journey,
        old={"name": old},
        new={"name": name},
    )
    return True
