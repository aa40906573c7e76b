"""Figures for the journey pages: the list's columns, the flow drawn with how many contacts sit
at and passed through each step, the versions, and one contact's journeys.

Reads only. Who may see them is checked where the journeys are fetched (journeys.queries).
Each function costs a fixed number of queries, whatever the number of journeys or steps.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count

from dearly.contacts.models import Contact
from dearly.conversions.queries import Totals, totals
from dearly.delivery.models import OutboxMessage, Status
from dearly.journeys.labels import template_names
from dearly.journeys.models import (
    Enrollment,
    EnrollmentStatus,
    Journey,
    JourneyVersion,
    StepRun,
)
from dearly.journeys.queries import enrollments_for_contact, step_counts
from dearly.journeys.words import step_numbers, step_words, trigger_words

ORIGIN = "journey"
GOAL_REACHED = "goal reached"
SENDS_DAYS = 30


@dataclass(frozen=True, slots=True)
class ListRow:
    journey: Journey
    trigger: str
    in_progress: int
    finished: int
    goal_reached: int
    sends: int


def list_rows(journeys: Sequence[Journey], *, now: dt.datetime) -> list[ListRow]:
    """Journeys annotated by queries.with_counts, with goals reached and recent sends: two
    more queries for the whole list."""
    ids = [j.pk for j in journeys]
    goals = goal_counts(ids)
    sends = send_counts(ids, since=now - dt.timedelta(days=SENDS_DAYS))
    return [
        ListRow(
            journey=j,
            trigger=trigger_words(j.version.definition["trigger"]) if j.version else "",
            in_progress=getattr(j, "in_progress", 0),
            finished=getattr(j, "finished", 0),
            goal_reached=goals.get(j.pk, 0),
            sends=sends.get(j.pk, 0),
        )
        for j in journeys
    ]


def goal_counts(journey_ids: list[int]) -> dict[int, int]:
    rows = (
        Enrollment.objects.filter(
            journey_id__in=journey_ids,
            status=EnrollmentStatus.EXITED,
            exit_reason=GOAL_REACHED,
        )
        .values_list("journey_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def send_counts(journey_ids: list[int], *, since: dt.datetime) -> dict[int, int]:
    """Messages sent since `since` (served by outbox_origin)."""
    rows = (
        OutboxMessage.objects.filter(
            origin_type=ORIGIN,
            origin_id__in=journey_ids,
            status=Status.SENT,
            sent_at__gte=since,
        )
        .values_list("origin_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {int(origin): n for origin, n in rows}


def conversions(journey: Journey) -> Totals:
    return totals(origin_type=ORIGIN, origin_ids=[journey.pk])


@dataclass(frozen=True, slots=True)
class FlowStep:
    number: int
    step_id: str
    type: str
    words: str
    here: int
    passed: int


@dataclass(frozen=True, slots=True)
class Flow:
    steps: list[FlowStep]
    earlier: list[tuple[str, int]]  # steps only older versions have, with contacts there


def flow(journey: Journey, version: JourneyVersion) -> Flow:
    """The version's steps in words. For the current version, contacts at a step are counted
    whatever version they walk (step ids carry over between versions); for an older one,
    only that version's contacts."""
    definition = version.definition
    templates = template_names([definition])
    numbers = step_numbers(definition)
    current = version.pk == journey.version_id
    if current:
        counted = step_counts(journey)
        here = {sid: n for sid, _, n in counted}
        earlier = [(sid, n) for sid, _, n in counted if sid not in numbers and n]
    else:
        here, earlier = here_counts(journey, version), []
    passed = passed_counts(journey, None if current else version)
    steps = [
        FlowStep(
            number=numbers[s["id"]],
            step_id=s["id"],
            type=s["type"],
            words=step_words(s, numbers=numbers, templates=templates),
            here=here.get(s["id"], 0),
            passed=passed.get(s["id"], 0),
        )
        for s in definition["steps"]
    ]
    return Flow(steps, earlier)


def here_counts(journey: Journey, version: JourneyVersion) -> dict[str, int]:
    rows = (
        Enrollment.objects.filter(journey=journey, status=EnrollmentStatus.ACTIVE, version=version)
        .values_list("step_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def passed_counts(journey: Journey, version: JourneyVersion | None) -> dict[str, int]:
    """Contacts who ran each step at least once."""
    runs = StepRun.objects.filter(enrollment__journey=journey)
    if version is not None:
        runs = runs.filter(enrollment__version=version)
    rows = runs.values_list("step_id").annotate(n=Count("enrollment_id", distinct=True))
    return dict(rows.order_by())


@dataclass(frozen=True, slots=True)
class VersionRow:
    version: JourneyVersion
    in_progress: int
    current: bool


def versions(journey: Journey) -> list[VersionRow]:
    active = dict(
        Enrollment.objects.filter(journey=journey, status=EnrollmentStatus.ACTIVE)
        .values_list("version_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    found = journey.versions.select_related("created_by").order_by("-number")
    return [VersionRow(v, active.get(v.pk, 0), v.pk == journey.version_id) for v in found]


def in_flight_elsewhere(journey: Journey) -> int:
    """Contacts still walking a version other than the current one."""
    return (
        Enrollment.objects.filter(journey=journey, status=EnrollmentStatus.ACTIVE)
        .exclude(version_id=journey.version_id)
        .count()
    )


@dataclass(frozen=True, slots=True)
class ContactJourney:
    journey: Journey
    status: str
    active: bool
    step_number: int | None
    step_words: str
    entered_at: dt.datetime
    next_run_at: dt.datetime | None
    finished_at: dt.datetime | None
    exit_reason: str


def contact_journeys(contact: Contact, *, limit: int = 10) -> list[ContactJourney]:
    """The contact's journeys, newest first, and the step each walk is at (two queries)."""
    walks = [w.enrollment for w in enrollments_for_contact(contact)[:limit]]
    templates = template_names([e.version.definition for e in walks])
    rows = []
    for e in walks:
        definition = e.version.definition
        numbers = step_numbers(definition)
        step = next((s for s in definition["steps"] if s["id"] == e.step_id), None)
        words = step_words(step, numbers=numbers, templates=templates) if step else ""
        rows.append(
            ContactJourney(
                journey=e.journey,
                status=e.get_status_display(),
                active=e.status == EnrollmentStatus.ACTIVE,
                step_number=numbers.get(e.step_id),
                step_words=words,
                entered_at=e.entered_at,
                next_run_at=e.next_run_at if e.waiting else None,
                finished_at=e.finished_at,
                exit_reason=e.exit_reason,
            )
        )
    return rows
