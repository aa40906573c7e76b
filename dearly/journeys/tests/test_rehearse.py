import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.core.models import AuditEvent, Membership
from dearly.delivery.models import OutboxMessage
from dearly.journeys.models import Enrollment, Journey, StepRun
from dearly.journeys.queries import enrollments_for_contact, journeys_for_member, step_counts
from dearly.journeys.rehearse import RehearsalStep, rehearse
from dearly.journeys.tests.helpers import (
    grant_marketing,
    make_journey,
    make_template,
    send_step,
    signup,
    step,
)
from dearly.touches.models import Task

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 27, 9, 0, tzinfo=dt.UTC)  # Friday 09:00 GMT


def journey_with_everything() -> tuple[int, str]:
    template = make_template("Welcome")
    journey = make_journey(
        [
            send_step(template, "s1"),
            {"id": "w", "type": "wait", "days": 2},
            {"id": "vip", "type": "add_tag", "tag": "vip"},
            {
                "id": "b",
                "type": "branch",
                "condition": {"kind": "has_tag", "tag": "VIP"},
                "then": "call",
                "else": "exit",
            },
            {"id": "call", "type": "task", "kind": "call", "title": "Thank them", "due_days": 1},
            {"id": "u", "type": "wait_until", "weekdays": [0], "start": "10:00", "end": "12:00"},
            {"id": "stage", "type": "set_field", "field": "lifecycle_stage", "value": "customer"},
        ]
    )
    return journey.pk, template.name


def counts() -> list[int]:
    models: list[Any] = [Enrollment, StepRun, OutboxMessage, Task, AuditEvent, Contact.tags.through]
    return [m.objects.count() for m in models]


def test_a_rehearsal_walks_the_path_with_time_fast_forwarded_and_writes_nothing() -> None:
    journey_id, _ = journey_with_everything()
    ada = make_contact(email="ada@example.com", time_zone="Europe/London")
    grant_marketing(ada)
    before = counts()
    path = rehearse(Journey.objects.get(pk=journey_id), ada, START)
    assert counts() == before
    assert [(p.at, p.step_id, p.what) for p in path] == [
        (START, "s1", "would send “Welcome” by email"),
        (START, "w", "waits until Sun 29 Mar 2026 09:00 BST"),
        (START + dt.timedelta(hours=47), "vip", "would add the tag vip"),
        (START + dt.timedelta(hours=47), "b", "condition met"),
        (START + dt.timedelta(hours=47), "call", "would create a call task due 30 Mar 2026"),
        (START + dt.timedelta(hours=47), "u", "waits until Mon 30 Mar 2026 10:00 BST"),
        (START + dt.timedelta(hours=72), "stage", "would set lifecycle_stage to customer"),
        (START + dt.timedelta(hours=72), "", "finishes the journey"),
    ]
    assert path[0] == RehearsalStep(START, "s1", "Send “Welcome”", path[0].what)
    ada.refresh_from_db()
    assert ada.lifecycle_stage == "lead"


def test_a_rehearsal_stops_at_the_horizon_and_says_when_a_send_would_be_skipped() -> None:
    journey_id, _ = journey_with_everything()
    bob = make_contact(email="bob@example.com")
    path = rehearse(Journey.objects.get(pk=journey_id), bob, START, horizon_days=1)
    assert [p.what for p in path] == [
        "would skip: no permitted channel",
        "waits until Sun 29 Mar 2026 09:00 BST",
    ]


def test_step_counts_list_every_step_with_the_contacts_there(owner: User) -> None:
    journey_id, _ = journey_with_everything()
    journey = Journey.objects.get(pk=journey_id)
    with time_machine.travel(START, tick=False):
        for n in range(3):
            signup(make_contact(first_name=f"C{n}"))
        step(START)
    assert step_counts(journey)[:3] == [
        ("s1", "Send “Welcome”", 0),
        ("w", "Wait 2 days", 3),
        ("vip", "Add the tag vip", 0),
    ]
    member = Membership.objects.get(user=owner)
    row = journeys_for_member(member).get(pk=journey_id)
    counted: Any = row
    assert (counted.in_progress, counted.finished, counted.left, counted.entered) == (3, 0, 0, 3)
    walks = enrollments_for_contact(Contact.objects.get(first_name="C0"), with_runs=True)
    assert [(w.enrollment.journey_id, [r.step_id for r in w.runs]) for w in walks] == [
        (journey_id, ["s1", "w"])
    ]


def test_branch_staff_cannot_list_journeys(north_staff: User) -> None:
    with pytest.raises(PermissionDenied):
        journeys_for_member(Membership.objects.get(user=north_staff))
