import datetime as dt
from typing import Any

import pytest
import time_machine

from dearly.conftest import make_contact
from dearly.journeys.models import Enrollment, EnrollmentStatus, ImmutableVersion, StepRun
from dearly.journeys.services import JourneyError, archive, pause, publish_version, resume
from dearly.journeys.tests.helpers import ACTOR, make_journey, signup, step

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
LATER = START + dt.timedelta(days=3)
V1: list[dict[str, Any]] = [
    {"id": "w", "type": "wait", "days": 2},
    {"id": "one", "type": "add_tag", "tag": "v1"},
]
V2: list[dict[str, Any]] = [
    {"id": "w", "type": "wait", "days": 2},
    {"id": "two", "type": "add_tag", "tag": "v2"},
]


def test_a_paused_journey_does_not_step_and_resumes_where_it_waited() -> None:
    with time_machine.travel(START, tick=False):
        journey = make_journey(V1)
        signup(make_contact())
        step(START)
        pause(actor=ACTOR, journey=journey)
    assert step(LATER) == 0
    walk = Enrollment.objects.get()
    assert (walk.status, walk.step_id, walk.waiting) == (EnrollmentStatus.ACTIVE, "w", True)
    resume(actor=ACTOR, journey=journey)
    assert step(LATER) == 1
    assert Enrollment.objects.get().status == EnrollmentStatus.DONE


def test_a_new_version_leaves_contacts_in_flight_on_theirs() -> None:
    with time_machine.travel(START, tick=False):
        journey = make_journey(V1)
        first = make_contact(first_name="First")
        signup(first)
        step(START)
        version = publish_version(
            actor=ACTOR,
            journey=journey,
            definition={"trigger": {"type": "event", "name": "signup"}, "steps": V2},
        )
        second = make_contact(first_name="Second")
        signup(second)
        step(START)
    assert version.number == 2
    step(LATER)
    assert list(first.tags.values_list("name", flat=True)) == ["v1"]
    assert list(second.tags.values_list("name", flat=True)) == ["v2"]
    assert set(StepRun.objects.values_list("step_id", flat=True)) == {"w", "one", "two"}


def test_a_saved_version_cannot_change() -> None:
    journey = make_journey(V1)
    assert journey.version is not None
    with pytest.raises(ImmutableVersion):
        journey.version.save()


def test_archiving_ends_every_walk_and_refuses_new_versions() -> None:
    with time_machine.travel(START, tick=False):
        journey = make_journey(V1)
        signup(make_contact())
        archive(actor=ACTOR, journey=journey)
    walk = Enrollment.objects.get()
    assert (walk.status, walk.exit_reason) == (EnrollmentStatus.EXITED, "journey archived")
    with pytest.raises(JourneyError):
        publish_version(
            actor=ACTOR, journey=journey, definition={"trigger": {"type": "survey"}, "steps": V2}
        )
    with pytest.raises(JourneyError):
        resume(actor=ACTOR, journey=journey)


def test_a_step_that_fails_is_rolled_back_and_tried_again_later() -> None:
    from unittest import mock

    with time_machine.travel(START, tick=False):
        make_journey([{"id": "one", "type": "add_tag", "tag": "v1"}])
        ada = make_contact()
        signup(ada)
        with mock.patch("dearly.journeys.effects.set_tags", side_effect=RuntimeError("boom")):
            assert step(START) == 0
    walk = Enrollment.objects.get()
    assert (walk.status, walk.seq, walk.next_run_at) == (
        EnrollmentStatus.ACTIVE,
        0,
        START + dt.timedelta(hours=1),
    )
    step(START + dt.timedelta(hours=1))
    assert list(ada.tags.values_list("name", flat=True)) == ["v1"]
