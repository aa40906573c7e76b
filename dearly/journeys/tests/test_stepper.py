import datetime as dt

import pytest
import time_machine

from dearly.conftest import make_contact
from dearly.delivery.models import OutboxMessage
from dearly.journeys.models import Enrollment, EnrollmentStatus, StepRun
from dearly.journeys.tests.helpers import (
    grant_marketing,
    make_journey,
    make_template,
    send_step,
    signup,
    step,
)
from dearly.touches.models import Task
from dearly.tracking.models import EventKind, MessageEvent

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)  # a Monday, 09:00 in London


def opened(message: OutboxMessage) -> None:
    MessageEvent.objects.create(
        message=message,
        contact_id=message.contact_id,
        origin_type=message.origin_type,
        origin_id=message.origin_id,
        kind=EventKind.OPENED,
        occurred_at=START,
        provider="dearly",
    )


def welcome_journey() -> tuple[int, int]:
    template = make_template()
    journey = make_journey(
        [
            send_step(template, "s1"),
            {"id": "w", "type": "wait", "days": 2},
            {
                "id": "b",
                "type": "branch",
                "condition": {"kind": "opened_last"},
                "then": "tag",
                "else": "call",
            },
            {"id": "tag", "type": "add_tag", "tag": "engaged"},
            {"id": "x", "type": "exit"},
            {"id": "call", "type": "task", "kind": "call", "title": "Say hello", "due_days": 1},
        ]
    )
    return journey.pk, template.pk


def test_a_contact_walks_send_wait_branch_and_is_tagged_when_they_opened() -> None:
    with time_machine.travel(START, tick=False):
        journey_id, _ = welcome_journey()
        ada = make_contact(email="ada@example.com")
        grant_marketing(ada)
        signup(ada)
        assert step(START) == 2  # sent, then waiting
    message = OutboxMessage.objects.get(origin_type="journey", origin_id=journey_id)
    assert message.contact_id == ada.pk and message.value == "useful_information"
    enrollment = Enrollment.objects.get(contact_id=ada.pk)
    assert enrollment.step_id == "w" and enrollment.waiting
    assert enrollment.next_run_at == START + dt.timedelta(days=2)
    opened(message)
    assert step(START + dt.timedelta(days=1)) == 0
    assert step(START + dt.timedelta(days=2)) == 3  # branch, tag, exit
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.EXITED
    assert list(ada.tags.values_list("name", flat=True)) == ["engaged"]
    assert list(
        StepRun.objects.filter(enrollment=enrollment).values_list("step_id", "outcome")
    ) == [("s1", "sent"), ("w", "waiting"), ("b", "yes"), ("tag", "tagged"), ("x", "exited")]
    assert not Task.objects.exists()


def test_a_contact_who_did_not_open_gets_a_call_task_and_finishes() -> None:
    with time_machine.travel(START, tick=False):
        welcome_journey()
        ada = make_contact(email="ada@example.com")
        grant_marketing(ada)
        signup(ada)
        step(START)
    step(START + dt.timedelta(days=2))
    task = Task.objects.get()
    assert (task.contact_id, task.title, task.due_at) == (
        ada.pk,
        "Say hello",
        START + dt.timedelta(days=3),
    )
    enrollment = Enrollment.objects.get()
    assert enrollment.status == EnrollmentStatus.DONE


def test_a_send_without_a_permitted_channel_is_skipped_with_a_note() -> None:
    with time_machine.travel(START, tick=False):
        welcome_journey()
        bob = make_contact(email="bob@example.com")  # no consent
        signup(bob)
        step(START)
    run = StepRun.objects.get(step_id="s1")
    assert (run.outcome, run.detail) == ("skipped", "no permitted channel")
    assert not OutboxMessage.objects.exists()


def test_running_the_stepper_twice_at_the_same_time_sends_one_message() -> None:
    with time_machine.travel(START, tick=False):
        welcome_journey()
        ada = make_contact(email="ada@example.com")
        grant_marketing(ada)
        signup(ada)
        step(START)
        step(START)
    assert OutboxMessage.objects.count() == 1
    assert StepRun.objects.count() == 2


def test_the_stepper_runs_as_a_chore_every_worker_loop() -> None:
    from dearly.core.chores import run_due

    with time_machine.travel(START, tick=False):
        welcome_journey()
        ada = make_contact(email="ada@example.com")
        grant_marketing(ada)
        signup(ada)
        assert run_due(START, names={"journeys.step"}) == 2
        assert run_due(START, names={"journeys.step"}) == 0  # due again at once, nothing to do
    later = START + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        assert run_due(later, names={"journeys.step"}) == 2  # the branch, then the call task
