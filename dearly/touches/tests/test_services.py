"""The touch log's write paths: log_touch, record_delivered, tasks."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from dearly.conftest import make_contact
from dearly.core.actor import Actor
from dearly.core.models import AuditEvent
from dearly.core.signals import contact_event
from dearly.touches.models import Task, TaskStatus, Touch
from dearly.touches.services import (
    Delivered,
    TouchError,
    cancel_task,
    complete_task,
    create_task,
    log_touch,
    record_delivered,
)

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def last_touch(contact):
    contact.refresh_from_db(fields=["last_touch_at"])
    return contact.last_touch_at


def call(contact, **kw):
    return log_touch(contact=contact, kind="call", channel="phone", direction="out", **kw)


@time_machine.travel(NOON, tick=False)
def test_a_call_where_they_answered_is_a_real_touch(north, north_staff):
    contact = make_contact(branch=north)
    touch = call(contact, outcome="spoke", actor=Actor(source="ui", user=north_staff))
    assert touch.real and touch.branch == north and touch.staff == north_staff
    assert last_touch(contact) == NOON
    assert AuditEvent.objects.filter(action="touch.call", contact=contact).exists()


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("outcome", ["no_answer", "wrong_number"])
def test_an_unanswered_call_is_logged_but_does_not_count(outcome):
    contact = make_contact()
    touch = call(contact, outcome=outcome)
    assert Touch.objects.get() == touch and not touch.real
    assert last_touch(contact) is None


@time_machine.travel(NOON, tick=False)
def test_a_touch_in_the_future_is_refused():
    contact = make_contact()
    with pytest.raises(TouchError) as refused:
        call(contact, occurred_at=NOON + dt.timedelta(hours=1))
    assert refused.value.field == "occurred_at"
    assert not Touch.objects.exists()
    call(contact, occurred_at=NOON + dt.timedelta(minutes=4))  # a clock a little fast is fine


@time_machine.travel(NOON, tick=False)
def test_last_touch_only_moves_forward():
    contact = make_contact()
    call(contact)
    call(contact, occurred_at=NOON - dt.timedelta(days=30))  # logged late, about last month
    assert last_touch(contact) == NOON
    assert Touch.objects.count() == 2


@time_machine.travel(NOON, tick=False)
def test_each_touch_is_told_to_listeners():
    heard = []
    contact = make_contact()

    def listen(**kw):
        heard.append((kw["name"], kw["occurred_at"]))

    contact_event.connect(listen)
    try:
        call(contact)
    finally:
        contact_event.disconnect(listen)
    assert heard == [("touch.call", NOON)]


def test_recording_a_delivered_batch_twice_makes_one_touch_per_message():
    ada, bob = make_contact(first_name="Ada"), make_contact(first_name="Bob")
    batch = [
        Delivered(11, ada.pk, "email", "campaign", 3),
        Delivered(12, bob.pk, "email", "campaign", 3),
    ]
    record_delivered(batch, at=NOON)
    record_delivered(batch, at=NOON + dt.timedelta(minutes=1))
    touches = Touch.objects.order_by("message_id")
    assert [(t.message_id, t.contact_id, t.kind, t.direction) for t in touches] == [
        (11, ada.pk, "message", "out"),
        (12, bob.pk, "message", "out"),
    ]
    assert last_touch(ada) == NOON + dt.timedelta(minutes=1)


def test_a_delivered_message_moves_last_touch_forward_but_never_back():
    ada = make_contact()
    record_delivered([Delivered(1, ada.pk, "email", "campaign", 1)], at=NOON)
    assert last_touch(ada) == NOON
    record_delivered([Delivered(2, ada.pk, "email", "campaign", 1)], at=NOON - dt.timedelta(1))
    assert last_touch(ada) == NOON


def test_a_task_with_a_dedupe_key_is_created_once(north):
    contact = make_contact(branch=north)
    first, created = create_task(contact=contact, kind="call", title="Call", dedupe_key="r:1:c")
    again, created_again = create_task(
        contact=contact, kind="call", title="Call", dedupe_key="r:1:c"
    )
    assert (created, created_again) == (True, False)
    assert first == again and first.branch == north


def test_completing_a_task_logs_its_touch_and_a_second_time_is_refused(north_staff):
    contact = make_contact()
    task, _ = create_task(contact=contact, kind="visit", title="Drop off the samples")
    actor = Actor(source="ui", user=north_staff)
    done = complete_task(task=task, actor=actor, outcome="spoke")
    assert done.status == TaskStatus.DONE and done.done_by == north_staff
    touch = Touch.objects.get()
    assert (touch.kind, touch.channel, touch.note, touch.origin_type) == (
        "visit",
        "in_person",
        "Drop off the samples",
        "task",
    )
    assert done.touch == touch and last_touch(contact) == touch.occurred_at
    with pytest.raises(TouchError):
        complete_task(task=task, actor=actor, outcome="spoke")
    with pytest.raises(TouchError):
        cancel_task(task=task, actor=actor)
    assert Touch.objects.count() == 1


def test_a_cancelled_task_cannot_be_completed(north_staff):
    task, _ = create_task(contact=make_contact(), kind="call", title="Call")
    actor = Actor(source="ui", user=north_staff)
    cancel_task(task=task, actor=actor)
    with pytest.raises(TouchError):
        complete_task(task=task, actor=actor)
    assert Task.objects.get().status == TaskStatus.CANCELLED and not Touch.objects.exists()


def test_an_unanswered_task_call_closes_the_task_without_moving_last_touch(north_staff):
    contact = make_contact()
    task, _ = create_task(contact=contact, kind="call", title="Call", due_at=timezone.now())
    complete_task(task=task, actor=Actor(source="ui", user=north_staff), outcome="no_answer")
    assert last_touch(contact) is None
